"""The conversation with the marketplace: submit, reconcile, poll, sweep.

Tasks in ``orders.tasks`` only load an id and call one of these functions.
Every state change goes through ``orders.lifecycle.order_transition``; no
HTTP call is ever made inside a database transaction.
"""
