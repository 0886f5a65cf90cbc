"""Rate limits per token and per address, counted in Redis, answered with 429 and Retry-After."""

import uuid

import pytest
from django.core.cache import cache

from api.tokens import api_token_create

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders"


@pytest.fixture
def small_limits(settings):
    settings.API_RATE_LIMITS = {
        "REQUESTS_PER_MINUTE": 5,
        "ORDERS_PER_MINUTE": 2,
        "FAILED_AUTH_PER_MINUTE": 3,
    }


def assert_limited(response):
    assert response.status_code == 429, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert f"Try again in {response['Retry-After']} seconds" in response.json()["detail"]


def test_a_token_past_its_requests_per_minute_gets_429(api, small_limits):
    answers = [api.get(ORDERS).status_code for _ in range(5)]

    assert answers == [200] * 5
    assert_limited(api.get(ORDERS))


def test_each_token_has_its_own_count(api, client, reseller, small_limits):
    for _ in range(5):
        api.get(ORDERS)
    other = ApiClient(client, api_token_create(reseller=reseller, name="Other").secret)

    assert other.get(ORDERS).status_code == 200
    assert_limited(api.get(ORDERS))


def test_order_placements_have_their_own_lower_limit(api, customer, small_limits):
    body = {
        "customer_id": customer.pk,
        "lines": [{"product_id": 1, "quantity": 1}],
        "tenant": {"preference": "existing", "domain": "contoso.onmicrosoft.com"},
    }
    answers = [api.post(ORDERS, body, key=uuid.uuid4()).status_code for _ in range(2)]

    assert 429 not in answers
    assert_limited(api.post(ORDERS, body, key=uuid.uuid4()))
    assert api.get(ORDERS).status_code == 200


def test_wrong_tokens_from_one_address_are_slowed_down_even_with_a_right_one_after(
    client, api, small_limits
):
    wrong = {"HTTP_AUTHORIZATION": "Bearer nce_000000000000.guess"}
    answers = [client.get(ORDERS, **wrong).status_code for _ in range(3)]

    assert answers == [401, 401, 401]
    assert_limited(client.get(ORDERS, **wrong))
    # The right token from the same address waits too: guessing is what is slowed.
    assert_limited(api.get(ORDERS))
    # Another address is not affected.
    assert client.get(ORDERS, REMOTE_ADDR="203.0.113.9", **api.auth).status_code == 200


def test_the_counters_live_in_the_shared_cache(api, small_limits):
    api.get(ORDERS)

    keys = cache.keys("api:limit:requests:*")
    assert len(keys) == 1 and cache.get(keys[0]) == 1
