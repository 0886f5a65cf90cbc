"""client_for builds a client from a reseller's connection; tokens live in Django's cache."""

import ssl

import httpx
import pytest
from django.core.cache import cache

from customers.models import MarketplaceConnection
from customers.upstream import DEFAULT_CONNECTION_NAME, client_for, default_connection
from marketplace.client import MarketplaceClient
from marketplace.session import shared_ssl_context
from tests.cache_space import cache_empty
from tests.factories import MarketplaceConnectionFactory, ResellerFactory

SEEN: list[httpx.Request] = []


def recording_transport():
    """The MARKETPLACE_TRANSPORT factory these tests name: answers /token and one customer."""

    def handler(request):
        SEEN.append(request)
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"token": "jwt-1", "expiresInSeconds": 1500})
        return httpx.Response(200, json={"id": "1000101", "name": "Woodgrove Bank"})

    return httpx.MockTransport(handler)


@pytest.fixture
def recorded(settings):
    settings.MARKETPLACE_TRANSPORT = "tests.marketplace.test_client_for.recording_transport"
    SEEN.clear()
    cache_empty()
    yield SEEN
    cache_empty()


@pytest.mark.django_db
def test_client_uses_the_resellers_connection_and_shares_its_token(recorded):
    connection = MarketplaceConnectionFactory(
        base_url="https://api.example.test/marketplace/na",
        marketplace_code="ca",
        username="acme-api",
        password="s3cret-pass",
        subscription_key="key-123",
    )
    reseller = ResellerFactory(connection=connection)
    with client_for(reseller) as client:
        assert client.get_customer(customer_id="1000101").name == "Woodgrove Bank"
    with client_for(connection) as second:
        second.get_customer(customer_id="1000101")
    token_calls = [r for r in recorded if r.url.path.endswith("/token")]
    assert len(token_calls) == 1  # the second client found the token in Django's cache
    assert str(token_calls[0].url) == "https://api.example.test/marketplace/na/token"
    assert token_calls[0].content == b'{"marketplace":"ca"}'
    assert recorded[-1].headers["X-Subscription-Key"] == "key-123"


@pytest.mark.django_db
def test_token_cache_keys_hold_no_secret(recorded):
    connection = MarketplaceConnectionFactory(password="s3cret-pass", subscription_key="key-123")
    with client_for(connection) as client:
        client.get_customer(customer_id="1")
    key = client._session._token_key
    assert cache.get(key) == "jwt-1"
    assert "s3cret" not in key and "key-123" not in key


@pytest.mark.django_db
def test_default_connection_comes_from_settings_once(settings):
    settings.MARKETPLACE = {
        **settings.MARKETPLACE,
        "BASE_URL": "http://127.0.0.1:8100/marketplace/eu/",
    }
    first = default_connection()
    assert first.name == DEFAULT_CONNECTION_NAME
    assert first.base_url == "http://127.0.0.1:8100/marketplace/eu"
    assert first.password == settings.MARKETPLACE["PASSWORD"]
    first.marketplace_code = "uk"
    first.save()
    assert default_connection().marketplace_code == "uk"  # an admin's edit is kept
    assert MarketplaceConnection.objects.count() == 1


def test_the_ca_bundle_is_loaded_once_however_many_clients_are_built(monkeypatch):
    shared_ssl_context.cache_clear()
    loads = []
    load = ssl.SSLContext.load_verify_locations

    def counting_load(context, *args, **kwargs):
        loads.append(args or kwargs)
        return load(context, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counting_load)
    clients = [
        MarketplaceClient(
            base_url="https://api.example.invalid/marketplace/eu",
            marketplace="us",
            username="u",
            password="p",
            subscription_key="k",
        )
        for _ in range(3)
    ]
    for client in clients:
        client.close()

    assert len(loads) == 1
