"""The retry policy and the token, on httpx.MockTransport (no network, no sleeping)."""

import httpx
import pytest

from marketplace.auth import MemoryTokenCache
from marketplace.exceptions import (
    APIConnectionError,
    AuthenticationError,
    GatewayError,
    InternalServerError,
    OrderOutcomeUnknown,
    RateLimitError,
)
from marketplace.retry import RetryPolicy
from marketplace.types import OrderInput, OrderLineInput

from .conftest import body_of

ORDER = OrderInput(
    customer_id="1000101",
    reference="NCE-0000042",
    lines=(
        OrderLineInput(
            mpn="CFQ7TTC0LH18:0001", quantity=1, subscription_period="P1Y", billing_period="P1M"
        ),
    ),
)
CUSTOMER = {"id": "1000101", "name": "Woodgrove Bank", "status": "active"}
ORDER_BODY = {
    "id": "1005000",
    "orderNumber": "SO000012",
    "type": "sales",
    "customerId": "1000101",
    "status": "submitted",
    "poNumber": "NCE-0000042",
}


def answers(*responses):
    """A handler that answers with each response in turn (the last one repeats)."""
    queue = list(responses)

    def handler(request):
        item = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(item, Exception):
            raise item
        return item

    return handler


def test_429_with_retry_after_waits_that_long_then_succeeds(make_client, sleeps):
    client = make_client(
        answers(
            httpx.Response(
                429,
                json={"statusCode": 429, "message": "Rate limit is exceeded."},
                headers={"Retry-After": "3"},
            ),
            httpx.Response(200, json=CUSTOMER),
        )
    )
    assert client.get_customer(customer_id="1000101").name == "Woodgrove Bank"
    assert sleeps == [3.0]


def test_429_without_retry_after_backs_off_exponentially_with_jitter(make_client, sleeps):
    limited = httpx.Response(429, json={"statusCode": 429, "message": "Rate limit is exceeded."})
    client = make_client(answers(limited, limited, limited, httpx.Response(200, json=CUSTOMER)))
    client.get_customer(customer_id="1000101")
    assert len(sleeps) == 3
    for wait, base in zip(sleeps, (0.5, 1.0, 2.0), strict=True):
        assert base <= wait <= base + 0.5


def test_429_that_never_ends_surfaces_with_its_retry_after(make_client, sleeps):
    client = make_client(
        answers(
            httpx.Response(
                429, json={"message": "Rate limit is exceeded."}, headers={"Retry-After": "2"}
            )
        )
    )
    with pytest.raises(RateLimitError) as caught:
        client.get_customer(customer_id="1000101")
    assert caught.value.retry_after == 2.0
    assert len(client.upstream.calls()) == 4 and sleeps == [2.0, 2.0, 2.0]


def test_retry_after_longer_than_the_cap_is_not_waited_for(make_client, sleeps):
    client = make_client(
        answers(
            httpx.Response(
                429, json={"message": "Try again in 600 seconds."}, headers={"Retry-After": "600"}
            )
        )
    )
    with pytest.raises(RateLimitError):
        client.get_customer(customer_id="1000101")
    assert sleeps == [] and len(client.upstream.calls()) == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_on_reads_are_retried(make_client, status):
    client = make_client(
        answers(httpx.Response(status, text="<html>bad</html>"), httpx.Response(200, json=CUSTOMER))
    )
    assert client.get_customer(customer_id="1000101").id == "1000101"
    assert len(client.upstream.calls()) == 2


def test_500_on_a_read_is_not_retried(make_client):
    client = make_client(answers(httpx.Response(500, json={"message": "Boom"})))
    with pytest.raises(InternalServerError):
        client.get_customer(customer_id="1000101")
    assert len(client.upstream.calls()) == 1


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_error_on_post_orders_is_an_unknown_outcome_sent_once(make_client, status):
    client = make_client(answers(httpx.Response(status, text="<html>gateway</html>")))
    with pytest.raises(OrderOutcomeUnknown) as caught:
        client.create_order(order=ORDER)
    assert caught.value.reference == "NCE-0000042"
    assert isinstance(caught.value.cause, GatewayError)
    assert len(client.upstream.calls("POST", "/orders")) == 1


def test_read_timeout_on_post_orders_is_an_unknown_outcome_sent_once(make_client):
    client = make_client(answers(httpx.ReadTimeout("timed out")))
    with pytest.raises(OrderOutcomeUnknown):
        client.create_order(order=ORDER)
    assert len(client.upstream.calls("POST", "/orders")) == 1


def test_dropped_connection_on_post_orders_is_an_unknown_outcome(make_client):
    client = make_client(answers(httpx.RemoteProtocolError("Server disconnected")))
    with pytest.raises(OrderOutcomeUnknown):
        client.create_order(order=ORDER)
    assert len(client.upstream.calls("POST", "/orders")) == 1


def test_connection_refused_on_post_orders_is_retried_because_nothing_was_sent(make_client):
    client = make_client(
        answers(httpx.ConnectError("refused"), httpx.Response(200, json=ORDER_BODY))
    )
    assert client.create_order(order=ORDER).order_number == "SO000012"
    assert len(client.upstream.calls("POST", "/orders")) == 2


def test_connection_refused_every_time_says_nothing_was_sent(make_client):
    client = make_client(answers(httpx.ConnectError("refused")))
    with pytest.raises(APIConnectionError) as caught:
        client.create_order(order=ORDER)
    assert caught.value.request_sent is False


def test_429_on_post_orders_is_retried(make_client, sleeps):
    client = make_client(
        answers(
            httpx.Response(429, json={"message": "Rate limit"}, headers={"Retry-After": "1"}),
            httpx.Response(200, json=ORDER_BODY),
        )
    )
    assert client.create_order(order=ORDER).id == "1005000"
    assert sleeps == [1.0]


def test_post_orders_uses_the_long_timeout(make_client):
    seen = {}

    def handler(request):
        seen[request.url.path] = request.extensions["timeout"]["read"]
        return httpx.Response(200, json=ORDER_BODY if request.method == "POST" else CUSTOMER)

    client = make_client(handler, order_timeout=120.0, timeout=30.0)
    client.create_order(order=ORDER)
    client.get_customer(customer_id="1000101")
    assert seen["/marketplace/eu/orders"] == 120.0
    assert seen["/marketplace/eu/customers/1000101"] == 30.0


def test_token_request_carries_basic_key_and_marketplace(make_client):
    client = make_client(answers(httpx.Response(200, json=CUSTOMER)))
    client.get_customer(customer_id="1000101")
    token_request, call = client.upstream.requests
    assert token_request.url.path == "/marketplace/eu/token"
    assert token_request.headers["Authorization"] == "Basic ZGVtby1yZXNlbGxlcjpkZW1vLXBhc3N3b3Jk"
    assert token_request.headers["X-Subscription-Key"] == "demo-subscription-key"
    assert body_of(token_request) == {"marketplace": "us"}
    assert call.headers["Authorization"] == "Bearer token-1"
    assert call.headers["X-Subscription-Key"] == "demo-subscription-key"


def test_token_is_reused_until_shortly_before_it_expires(make_client):
    now = [0.0]
    cache = MemoryTokenCache(clock=lambda: now[0])
    client = make_client(answers(httpx.Response(200, json=CUSTOMER)), token_cache=cache)
    client.get_customer(customer_id="1")
    now[0] = 1439.0
    client.get_customer(customer_id="1")
    assert client.upstream.tokens_issued == 1
    now[0] = 1441.0  # 1500 s lifetime less the 60 s margin
    client.get_customer(customer_id="1")
    assert client.upstream.tokens_issued == 2


def test_401_reauthenticates_once_and_repeats_the_call_once(make_client):
    expired = httpx.Response(401, json={"status": 401, "message": "The access token has expired."})
    client = make_client(answers(expired, httpx.Response(200, json=CUSTOMER)))
    assert client.get_customer(customer_id="1000101").id == "1000101"
    assert client.upstream.tokens_issued == 2
    assert [c.headers["Authorization"] for c in client.upstream.calls()] == [
        "Bearer token-1",
        "Bearer token-2",
    ]


def test_second_401_in_a_row_is_raised(make_client):
    client = make_client(answers(httpx.Response(401, json={"message": "Access denied"})))
    with pytest.raises(AuthenticationError) as caught:
        client.get_customer(customer_id="1000101")
    assert caught.value.message == "Access denied"
    assert len(client.upstream.calls()) == 2 and client.upstream.tokens_issued == 2


def test_bad_credentials_on_token_raise_authentication_error(make_client):
    def handler(request):
        return httpx.Response(401, json={"message": "Bad credentials"})

    client = make_client(None, upstream=handler)  # /token itself refuses
    with pytest.raises(AuthenticationError) as caught:
        client.get_customer(customer_id="1000101")
    assert caught.value.message == "Bad credentials"


def test_token_fetch_timeout_before_an_order_is_not_an_unknown_outcome(make_client):
    def handler(request):
        if request.url.path.endswith("/token"):
            raise httpx.ReadTimeout("slow token")
        return httpx.Response(200, json=ORDER_BODY)

    client = make_client(None, upstream=handler, max_retries=0)
    with pytest.raises(APIConnectionError) as caught:
        client.create_order(order=ORDER)
    assert caught.value.request_sent is False


def test_retry_policy_decisions():
    policy = RetryPolicy()
    assert policy.is_retryable(APIConnectionError("x", request_sent=False), idempotent=False)
    assert not policy.is_retryable(APIConnectionError("x", request_sent=True), idempotent=False)
    assert policy.is_retryable(APIConnectionError("x", request_sent=True), idempotent=True)
    assert not policy.is_retryable(GatewayError("x", status_code=502), idempotent=False)
    assert not policy.is_retryable(InternalServerError("x", status_code=500), idempotent=True)
