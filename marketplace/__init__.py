"""A small SDK for the distributor's Cloud Marketplace API (CloudBlue SimpleAPI 1.15).

Pure Python over httpx: it never touches the database. Start from
``marketplace.client.MarketplaceClient``; in the product, get one with
``customers.upstream.client_for(reseller)``.
"""
