import pytest

from api.tokens import api_token_create
from tests.factories import UserFactory
from tests.orders.simulated import (  # noqa: F401 (fixtures)
    simulator,
    upstream_customer,
    upstream_reseller,
)


class ApiClient:
    """Django's test client, sending a Bearer token and JSON."""

    def __init__(self, client, secret):
        self.client = client
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, path, data=None):
        return self.client.get(path, data, **self.auth)

    def post(self, path, payload=None, *, key=None, raw=None, **extra):
        headers = dict(self.auth, **extra)
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = str(key)
        body = raw if raw is not None else payload
        return self.client.post(path, body, content_type="application/json", **headers)


@pytest.fixture
def issued(reseller):
    staff = UserFactory(reseller=reseller)
    return api_token_create(reseller=reseller, name="ERP", created_by=staff)


@pytest.fixture
def api(client, issued):
    return ApiClient(client, issued.secret)


@pytest.fixture
def upstream_api(client, upstream_reseller):  # noqa: F811
    staff = UserFactory(reseller=upstream_reseller)
    issued = api_token_create(reseller=upstream_reseller, name="ERP", created_by=staff)
    api = ApiClient(client, issued.secret)
    api.token = issued.token
    api.staff = staff
    return api


def field_errors(response):
    """Return where each problem of a problem+json answer is: pointer, parameter or header."""
    assert response["Content-Type"] == "application/problem+json"
    return [
        error.get("pointer", error.get("parameter", error.get("header")))
        for error in response.json()["errors"]
    ]
