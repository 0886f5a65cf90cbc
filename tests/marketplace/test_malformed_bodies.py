"""A malformed answer of every shape, on every call the client parses: the typed error, always.

The simulator serves each call in-process; ManglingTransport swaps the body of
the answer under test (tests/marketplace/mangling.py says why that one fake).
"""

import math
from datetime import date

import pytest

from marketplace.exceptions import (
    APIConnectionError,
    MalformedResponseError,
    OrderOutcomeUnknown,
)
from marketplace.retry import RetryPolicy
from tests.marketplace.parameters import customer_input
from tests.simulated import Simulator

from .mangling import ManglingTransport
from .test_failures import CUSTOMER, existing_tenant_parameters, sales

#: Bodies no object-answering endpoint may send.
NOT_AN_OBJECT = {
    "a list": [{"id": "1"}],
    "text": "ok",
    "a number": 42,
    "null": None,
    "true": True,
    "NaN": math.nan,
}
#: Objects whose fields are the wrong kind, per answer.
BAD_FIELDS = {
    "order": [
        {"id": "1", "products": "CFQ7TTC0LH18:0001"},
        {"id": "1", "products": [["not", "an", "object"]]},
        {"id": "1", "products": [{"quantity": "infinity"}]},
        {"id": "1", "products": [{"quantity": 1e400}]},
        {"id": "1", "products": [{"subscriptionPeriod": {"type": "month", "duration": "²"}}]},
        {"id": "1", "total": [1, 2]},
        {"id": "1", "total": {"amount": {"value": 3}}},
        {"id": "1", "attributes": "segment=commercial"},
        {"id": {"nested": True}},
        {"id": "1", "details": [{"unitPrice": "12.00"}]},
    ],
    "customer": [
        {"id": "1", "address": "1 Main Street"},
        {"id": "1", "contactPersons": {"type": "admin"}},
        {"id": "1", "attributes": ["a"]},
        {"id": ["1"]},
    ],
    "subscription": [
        {"id": "1", "renewalStatus": "yes"},
        {"id": "1", "products": [{"quantity": "NaN"}]},
        {"id": "1", "fulfillmentParameters": [{"name": "x", "structured_value": "y"}]},
        {"id": "1", "subscriptionPeriod": [12, "month"]},
    ],
    "plan": [
        {"id": "1", "planSwitches": {"planId": "2"}},
        {"id": "1", "planSwitches": [{"subscriptionPeriod": "P1Y"}]},
        {"id": "1", "subscriptionPeriods": [["year", 1]]},
        {"id": {"nested": True}},
    ],
    "page": [
        {"pagination": {"total": 1}},
        {"data": {"id": "1"}},
        {"data": ["1"]},
        {"data": [], "pagination": {"offset": "²"}},
        {"data": [], "pagination": {"limit": -5}},
        {"data": [], "pagination": {"total": 1.5}},
        {"data": [], "pagination": "next"},
        {"data": [{"id": ["1"]}], "pagination": {"total": 1}},
    ],
    "validation": [
        {"data": "all good"},
        {"data": [{"mpn": "x", "parameters": {"name": "tier1_mpn"}}]},
        {"data": [{"parameters": [{"valueChoices": ["a.onmicrosoft.com"]}]}]},
        {"results": []},
    ],
    "report": [
        {"id": ["1"]},
        {"id": "1", "status": {"state": "completed"}},
        {"id": "1", "status": "completed", "downloadUrl": ["https://files.example.com/r.csv"]},
        {"id": "1", "creationDate": {"date": "2026-03-02"}},
    ],
    "token": [
        {"token": ["abc"]},
        {"token": "", "expiresInSeconds": 1500},
        {"token": "abc", "expiresInSeconds": "NaN"},
        {"token": "abc", "expiresInSeconds": 1e999},
        {"token": "abc", "expiresInSeconds": -1},
        {"expiresInSeconds": 1500},
    ],
}


def cases(kind):
    bodies = list(NOT_AN_OBJECT.items()) + [
        (f"bad field {n}", body) for n, body in enumerate(BAD_FIELDS[kind])
    ]
    return pytest.mark.parametrize("body", [b for _, b in bodies], ids=[i for i, _ in bodies])


@pytest.fixture
def simulator():
    simulator = Simulator()
    yield simulator
    simulator.close()


@pytest.fixture
def mangler(simulator):
    return ManglingTransport(simulator.transport)


@pytest.fixture
def client(simulator, mangler):
    with simulator.client(
        transport=mangler, retry_policy=RetryPolicy(max_retries=1, sleep=simulator.sleeps.append)
    ) as client:
        yield client


def assert_typed(error, endpoint):
    assert isinstance(error, MalformedResponseError), error
    assert error.endpoint == endpoint
    assert error.correlation_id and error.correlation_id.startswith("a8n-")
    assert error.problems
    assert "Try again in a few minutes" in error.message
    assert error.correlation_id in str(error.message)


@cases("order")
def test_get_order(client, mangler, simulator, body):
    order = client.create_order(order=sales("R-MAL-1"))
    mangler.replace("GET", f"/orders/{order.id}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.get_order(order_id=order.id)
    assert_typed(caught.value, f"GET /orders/{order.id}")
    # A read is retried like any unusable answer, then surfaces.
    assert simulator.stats()["requests"][f"GET /orders/{order.id}"] == 2


@cases("order")
def test_estimate_order(client, mangler, body):
    mangler.replace("POST", "/orders/estimate", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.estimate_order(order=sales("R-MAL-2"))
    assert_typed(caught.value, "POST /orders/estimate")


@cases("order")
def test_create_order_is_an_unknown_outcome_never_a_second_send(client, mangler, simulator, body):
    mangler.replace("POST", "/orders", body)
    with pytest.raises(OrderOutcomeUnknown) as caught:
        client.create_order(order=sales("R-MAL-3"))
    assert caught.value.reference == "R-MAL-3"
    assert_typed(caught.value.cause, "POST /orders")
    assert simulator.orders_with("R-MAL-3") == 1  # it was created, and sent once
    found = client.find_order_by_reference(customer_id=CUSTOMER, reference="R-MAL-3")
    assert found is not None


@cases("customer")
def test_get_customer(client, mangler, body):
    mangler.replace("GET", f"/customers/{CUSTOMER}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.get_customer(customer_id=CUSTOMER)
    assert_typed(caught.value, f"GET /customers/{CUSTOMER}")


@cases("subscription")
def test_get_subscription(client, mangler, simulator, body):
    order = client.create_order(order=sales("R-MAL-5"))
    simulator.advance(3600)
    (subscription_id,) = client.get_order(order_id=order.id).subscription_ids
    assert client.get_subscription(subscription_id=subscription_id).id == subscription_id
    mangler.replace("GET", f"/subscriptions/{subscription_id}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.get_subscription(subscription_id=subscription_id)
    assert_typed(caught.value, f"GET /subscriptions/{subscription_id}")


@pytest.mark.parametrize(
    "method, path",
    [
        ("list_products", "products"),
        ("list_customers", "customers"),
        ("list_orders", "orders"),
        ("list_subscriptions", "subscriptions"),
    ],
)
@cases("page")
def test_every_list(client, mangler, method, path, body):
    mangler.replace("GET", f"/{path}", body)
    with pytest.raises(MalformedResponseError) as caught:
        list(getattr(client, method)())
    assert_typed(caught.value, f"GET /{path}")


@pytest.mark.parametrize(
    "method, path", [("customers_page", "customers"), ("subscriptions_page", "subscriptions")]
)
@cases("page")
def test_one_page(client, mangler, method, path, body):
    """A resumable import reads one page at a time: a bad page is the typed error, not a gap."""
    mangler.replace("GET", f"/{path}", body)
    with pytest.raises(MalformedResponseError) as caught:
        getattr(client, method)(offset=0)
    assert_typed(caught.value, f"GET /{path}")


@cases("validation")
def test_validate_parameters(client, mangler, body):
    mangler.replace("POST", "/validation/parameters", body)
    line = sales("R-MAL-4", parameters=existing_tenant_parameters("woodgrovebank.onmicrosoft.com"))
    with pytest.raises(MalformedResponseError) as caught:
        client.validate_parameters(customer_id=CUSTOMER, products=line.lines)
    assert_typed(caught.value, "POST /validation/parameters")


@cases("token")
def test_token(client, mangler, body):
    mangler.replace("POST", "/token", body)
    with pytest.raises(APIConnectionError) as caught:
        client.get_customer(customer_id=CUSTOMER)
    # Nothing was sent for the call itself, so it is safe to repeat; the cause is kept.
    assert caught.value.request_sent is False
    assert_typed(caught.value.__cause__, "POST /token")


def test_a_token_lifetime_that_is_not_a_number_never_becomes_a_cache_lifetime():
    from marketplace.auth import MAX_TOKEN_LIFETIME_SECONDS, token_ttl

    for claimed in (math.nan, math.inf, -math.inf, 1e999, "1e999", "NaN", None, [], -3):
        ttl = token_ttl(claimed)
        assert math.isfinite(ttl) and 0 < ttl <= MAX_TOKEN_LIFETIME_SECONDS


@cases("subscription")
def test_set_auto_renew(client, mangler, simulator, body):
    order = client.create_order(order=sales("R-MAL-6"))
    simulator.advance(3600)
    (subscription_id,) = client.get_order(order_id=order.id).subscription_ids
    mangler.replace("PATCH", f"/subscriptions/{subscription_id}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.set_auto_renew(subscription_id=subscription_id, enabled=False)
    assert_typed(caught.value, f"PATCH /subscriptions/{subscription_id}")


@cases("plan")
def test_get_plan(client, mangler, simulator, body):
    order = client.create_order(order=sales("R-MAL-7"))
    simulator.advance(3600)
    (subscription_id,) = client.get_order(order_id=order.id).subscription_ids
    plan_id = client.get_subscription(subscription_id=subscription_id).plan_id
    assert client.get_plan(plan_id=plan_id).switches
    mangler.replace("GET", f"/plans/{plan_id}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.get_plan(plan_id=plan_id)
    assert_typed(caught.value, f"GET /plans/{plan_id}")


@cases("order")
def test_cancel_order(client, mangler, simulator, body):
    # Long phases: the order is still submitted, so cancellable, when the PATCH comes.
    simulator.control.post("/_simulator/timings", json={"submitted": 600})
    order = client.create_order(order=sales("R-MAL-8"))
    mangler.replace("PATCH", f"/orders/{order.id}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.cancel_order(order_id=order.id)
    assert_typed(caught.value, f"PATCH /orders/{order.id}")


@cases("customer")
def test_create_customer(client, mangler, body):
    customer = customer_input("Malformed Answers Ltd")
    mangler.replace("POST", "/customers", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.create_customer(customer=customer)
    assert_typed(caught.value, "POST /customers")


@cases("page")
def test_find_order_by_reference_says_the_search_is_incomplete(client, mangler, body):
    from marketplace.exceptions import SearchIncomplete

    mangler.replace("GET", "/orders", body)
    with pytest.raises(SearchIncomplete) as caught:
        client.find_order_by_reference(customer_id=CUSTOMER, reference="R-MAL-7")
    assert_typed(caught.value.__cause__, "GET /orders")


@cases("report")
def test_schedule_report(client, mangler, body):
    mangler.replace("POST", "/reports", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.schedule_report(name="Rated data", start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert_typed(caught.value, "POST /reports")


@cases("report")
def test_get_report(client, mangler, body):
    report = client.schedule_report(name="Rated data", start=date(2026, 3, 1), end=date(2026, 3, 2))
    mangler.replace("GET", f"/reports/{report.id}", body)
    with pytest.raises(MalformedResponseError) as caught:
        client.get_report(report_id=report.id)
    assert_typed(caught.value, f"GET /reports/{report.id}")


@pytest.mark.parametrize(
    "method, kwargs",
    [
        ("check_partner", {"mpn_id": "1234567", "reseller_domain": "reseller.onmicrosoft.com"}),
        ("check_domain", {"domain": "fresh-tenant.onmicrosoft.com"}),
        ("check_tenant", {"tenant": "woodgrovebank.onmicrosoft.com"}),
    ],
)
@cases("validation")
def test_every_check(client, mangler, method, kwargs, body):
    """The checks ask through validate_parameters: a bad verdict is the typed error, not a 'no'."""
    mangler.replace("POST", "/validation/parameters", body)
    with pytest.raises(MalformedResponseError) as caught:
        getattr(client, method)(customer_id=CUSTOMER, **kwargs)
    assert_typed(caught.value, "POST /validation/parameters")


#: Every public call of the client, and the test above that feeds it malformed bodies.
#: A new call fails test_every_client_call_has_a_malformed_body_test until it has one.
MALFORMED_BODY_TESTS = {
    "list_products": test_every_list,
    "list_customers": test_every_list,
    "get_customer": test_get_customer,
    "create_customer": test_create_customer,
    "validate_parameters": test_validate_parameters,
    "estimate_order": test_estimate_order,
    "create_order": test_create_order_is_an_unknown_outcome_never_a_second_send,
    "get_order": test_get_order,
    "list_orders": test_every_list,
    "search_order_by_reference": test_find_order_by_reference_says_the_search_is_incomplete,
    "find_order_by_reference": test_find_order_by_reference_says_the_search_is_incomplete,
    "list_subscriptions": test_every_list,
    "subscriptions_page": test_one_page,
    "customers_page": test_one_page,
    "get_subscription": test_get_subscription,
    "set_auto_renew": test_set_auto_renew,
    "get_plan": test_get_plan,
    "cancel_order": test_cancel_order,
    "schedule_report": test_schedule_report,
    "get_report": test_get_report,
    "check_partner": test_every_check,
    "check_domain": test_every_check,
    "check_tenant": test_every_check,
}
#: Public calls that parse no JSON body: report_lines streams a report's file, whose lines
#: billing reads and checks itself (tests/billing).
NO_BODY_PARSED = {"report_lines"}


def test_every_client_call_has_a_malformed_body_test():
    from marketplace.client import MarketplaceClient

    # The mixins' calls (checks, reports) count too, not only those written in the class.
    calls = {
        name
        for cls in MarketplaceClient.__mro__[:-1]
        for name, member in vars(cls).items()
        if callable(member) and not name.startswith("_") and name != "close"
    }
    assert calls - NO_BODY_PARSED == set(MALFORMED_BODY_TESTS)


def test_no_call_can_skip_the_boundary():
    """The session's request helper has no default parser: a call without one cannot be made."""
    import inspect

    from marketplace.session import ApiSession

    for method in (ApiSession.request, ApiSession._send):
        parse = inspect.signature(method).parameters["parse"]
        assert parse.default is inspect.Parameter.empty
        assert parse.kind is inspect.Parameter.KEYWORD_ONLY
