"""Marketplace clients for the product: built from a reseller's MarketplaceConnection.

Tokens are kept in Django's cache, so every web process and worker shares one
token per connection instead of each fetching its own.

A pause the marketplace asked for (a 429's Retry-After) is waited out by the
client when it is short. A worker waits up to ``marketplace.constants``'
``MAX_RETRY_AFTER_SECONDS``; a person's request only up to
``MARKETPLACE["WEB_MAX_WAIT_SECONDS"]`` (1 s), because the web process and every
request queued behind it wait too: one reseller at its quota must not hold the
pages of the others. A longer pause is answered at once, in words, with the wait.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.utils.module_loading import import_string

from marketplace.client import MarketplaceClient
from marketplace.constants import DEFAULT_MAX_RETRIES, MAX_RETRY_AFTER_SECONDS
from marketplace.retry import RetryPolicy

from .connection_pause import ConnectionPause
from .models import MarketplaceConnection, Reseller

DEFAULT_CONNECTION_NAME = "Default marketplace"
DEFAULT_WEB_MAX_WAIT_SECONDS = 1.0

#: True while a person's request is served (``serving_a_person``, from the middleware).
_serving_a_person: ContextVar[bool] = ContextVar("serving_a_person", default=False)


@contextmanager
def serving_a_person():
    """Mark the calls made inside as made while a person waits for a page or an answer."""
    token = _serving_a_person.set(True)
    try:
        yield
    finally:
        _serving_a_person.reset(token)


def longest_wait() -> float:
    """Return the longest marketplace pause a client made here waits out before answering."""
    if not _serving_a_person.get():
        return MAX_RETRY_AFTER_SECONDS
    marketplace_settings = getattr(settings, "MARKETPLACE", {})
    return float(marketplace_settings.get("WEB_MAX_WAIT_SECONDS", DEFAULT_WEB_MAX_WAIT_SECONDS))


class DjangoTokenCache:
    """marketplace.auth.TokenCache over django.core.cache (Redis in production)."""

    def __init__(self, backend=None):
        self._cache = backend or cache

    def get(self, key):
        return self._cache.get(key)

    def set(self, key, value, ttl):
        self._cache.set(key, value, timeout=max(1, int(ttl)))

    def delete(self, key):
        self._cache.delete(key)


def client_for(
    reseller_or_connection: Reseller | MarketplaceConnection, *, rate_gate=None
) -> MarketplaceClient:
    """Return a MarketplaceClient for a reseller's connection (or for a connection itself).

    ``rate_gate`` shares a 429's pause with every process using the connection; without
    one, the connection's pause in the cache (``customers.connection_pause``) is used.
    """
    if isinstance(reseller_or_connection, Reseller):
        connection = reseller_or_connection.connection
    else:
        connection = reseller_or_connection
    if rate_gate is None and connection.pk is not None:
        rate_gate = ConnectionPause(connection.pk)
    marketplace_settings = getattr(settings, "MARKETPLACE", {})
    return MarketplaceClient(
        base_url=connection.base_url,
        marketplace=connection.marketplace_code,
        username=connection.username,
        password=connection.password,
        subscription_key=connection.subscription_key,
        timeout=float(marketplace_settings.get("TIMEOUT_SECONDS", 30)),
        order_timeout=float(marketplace_settings.get("ORDER_TIMEOUT_SECONDS", 120)),
        transport=configured_transport(),
        token_cache=DjangoTokenCache(),
        retry_policy=RetryPolicy(max_retries=DEFAULT_MAX_RETRIES, max_retry_after=longest_wait()),
        rate_gate=rate_gate,
    )


def configured_transport():
    """Return the transport named by settings.MARKETPLACE_TRANSPORT, or None for the network."""
    dotted_path = getattr(settings, "MARKETPLACE_TRANSPORT", None)
    if not dotted_path:
        return None
    factory = import_string(dotted_path)
    return factory()


def default_connection() -> MarketplaceConnection:
    """Return the connection described by settings.MARKETPLACE, creating it on first use.

    An existing connection keeps what an admin set; only a missing one is filled
    from the environment.
    """
    values = settings.MARKETPLACE
    connection, _ = MarketplaceConnection.objects.get_or_create(
        name=DEFAULT_CONNECTION_NAME,
        defaults={
            "base_url": values["BASE_URL"].rstrip("/"),
            "marketplace_code": values["MARKETPLACE_CODE"],
            "username": values["USERNAME"],
            "password": values["PASSWORD"],
            "subscription_key": values["SUBSCRIPTION_KEY"],
        },
    )
    return connection
