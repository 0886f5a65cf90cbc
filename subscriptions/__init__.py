"""Subscriptions: the customer's own subscription pages, the reseller's view, partner roles."""
