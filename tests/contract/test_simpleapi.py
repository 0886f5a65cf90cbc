"""Contract: what the client sends and what the simulator answers both follow SimpleAPI 1.15.

One scenario drives the client through every endpoint the product uses, against
the simulator in-process; every exchange is recorded and then validated with
openapi-core (see tests/contract/openapi.py for the two spec defects corrected
in memory).
"""

import hashlib
import re

import httpx
import pytest

from marketplace.exceptions import BadRequestError, InternalServerError
from marketplace.types import (
    Address,
    ContactPerson,
    CustomerInput,
    OrderInput,
    OrderLineInput,
)
from tests.marketplace.parameters import new_tenant_parameters
from tests.simulated import BASE_URL, Simulator

from .openapi import (
    MARKETPLACE_1_1,
    SIMPLEAPI,
    Exchange,
    RecordingTransport,
    request_errors,
    response_errors,
)

BASE_PATH = "/marketplace/eu"
BASIC = "CFQ7TTC0LH18:0001"
CUSTOMER = "1000101"

#: Every endpoint the product calls (method, path template).
USED_ENDPOINTS = {
    ("POST", "/token"),
    ("GET", "/products"),
    ("GET", "/customers"),
    ("POST", "/customers"),
    ("GET", "/customers/{id}"),
    ("POST", "/validation/parameters"),
    ("POST", "/orders/estimate"),
    ("POST", "/orders"),
    ("GET", "/orders"),
    ("GET", "/orders/{id}"),
    ("GET", "/subscriptions"),
    ("GET", "/subscriptions/{id}"),
}


def template(path: str) -> str:
    path = path.removeprefix(BASE_PATH)
    return re.sub(r"^/(customers|orders|subscriptions)/\d+$", r"/\1/{id}", path)


def order(reference, *, type="sales", quantity=5, subscription_id="", parameters=()):
    return OrderInput(
        type=type,
        customer_id=CUSTOMER,
        reference=reference,
        po_number="PO-1",
        subscription_id=subscription_id,
        lines=(
            OrderLineInput(
                mpn=BASIC,
                quantity=quantity,
                subscription_period="P1Y",
                billing_period="P1M",
                subscription_id=subscription_id,
                parameters=parameters,
            ),
        ),
    )


@pytest.fixture(scope="module")
def exchanges():
    simulator = Simulator()
    recorder = RecordingTransport(simulator.transport)
    with simulator.client(transport=recorder) as client:
        list(client.list_products(page_size=50))
        list(client.list_products(mpn=BASIC))
        list(client.list_customers(name="Woodgrove"))
        client.get_customer(customer_id=CUSTOMER)
        client.create_customer(
            customer=CustomerInput(
                name="Fourth Coffee",
                language="en_US",
                external_id="EXT-42",
                address=Address(
                    street_address="5 Pike Street",
                    address_extension="Suite 2",
                    city="Seattle",
                    state="WA",
                    postal_code="98101",
                    country_code="US",
                ),
                contact_persons=(
                    ContactPerson(
                        type="admin",
                        first_name="Tess",
                        last_name="Moreau",
                        email="tess@fourthcoffee.example",
                        phone_number="+12065550199",
                        login="tessadmin",
                        password="S3cure!pass",
                    ),
                ),
            )
        )
        client.validate_parameters(
            customer_id=CUSTOMER,
            products=order(
                "NCE-C0", parameters=new_tenant_parameters("contract1.onmicrosoft.com")
            ).lines,
        )
        client.check_partner(mpn_id="1234567", reseller_domain="northwindit.onmicrosoft.com")
        client.check_domain(domain="contoso.onmicrosoft.com")
        client.check_tenant(tenant="tailspintoys.onmicrosoft.com", customer_id=CUSTOMER)
        first = order("NCE-C1", parameters=new_tenant_parameters("contract1.onmicrosoft.com"))
        client.estimate_order(order=first)
        placed = client.create_order(order=first)
        client.get_order(order_id=placed.id)
        with pytest.raises(BadRequestError):
            taken = new_tenant_parameters("contoso.onmicrosoft.com")
            client.create_order(order=order("NCE-C2", parameters=taken))
        simulator.advance(60)
        subscription_id = client.get_order(order_id=placed.id).subscription_ids[0]
        list(client.list_subscriptions(customer_id=CUSTOMER, status="active"))
        client.get_subscription(subscription_id=subscription_id)
        client.create_order(
            order=order("NCE-C3", type="change", quantity=8, subscription_id=subscription_id)
        )
        with pytest.raises(InternalServerError):
            client.create_order(
                order=order("NCE-C4", type="change", quantity=9, subscription_id=subscription_id)
            )
        list(client.list_orders(customer_id=CUSTOMER, status="submitted"))
        assert client.find_order_by_reference(customer_id=CUSTOMER, reference="NCE-C1")
        simulator.advance(60)
        client.create_order(
            order=OrderInput(
                type="cancellation",
                customer_id=CUSTOMER,
                reference="NCE-C5",
                subscription_id=subscription_id,
                lines=(),
            )
        )
    simulator.close()
    return recorder.exchanges


def test_the_scenario_used_every_endpoint_the_product_uses(exchanges):
    used = {(e.request.method, template(e.request.url.path)) for e in exchanges}
    assert used == USED_ENDPOINTS
    assert {e.response.status_code for e in exchanges} >= {200, 400, 500}


def test_every_request_the_client_sends_follows_the_spec(exchanges):
    problems = {str(e): request_errors(e, BASE_PATH) for e in exchanges}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_answer_of_the_simulator_follows_the_spec(exchanges):
    problems = {str(e): response_errors(e, BASE_PATH) for e in exchanges}
    assert {k: v for k, v in problems.items() if v} == {}


def test_every_answer_carries_a_correlation_id(exchanges):
    assert all(e.response.headers["X-Correlation-ID"].startswith("a8n-") for e in exchanges)


@pytest.mark.parametrize(
    ("path", "sha256"),
    [
        (SIMPLEAPI, "dd1609c18f3f77b49d54f8dce636327690226da755335d56ede8dfe745037fb5"),
        (MARKETPLACE_1_1, "26916e80e6a953f5475737928896ce2c09646ae523d9ec56feb397605e70d4b3"),
    ],
)
def test_spec_copies_are_the_published_documents_unmodified(path, sha256):
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def test_the_validation_catches_what_breaks_the_contract():
    request = httpx.Request(
        "GET",
        f"{BASE_URL}/orders?limit=0",
        headers={"Authorization": "Bearer t"},  # no X-Subscription-Key, limit below 1
    )
    answer = httpx.Response(
        200, json={"data": [{"id": 1005000, "total": {"amount": 70.5}}]}, request=request
    )
    exchange = Exchange(request, answer)
    assert len(request_errors(exchange, BASE_PATH)) >= 1
    assert response_errors(exchange, BASE_PATH)
    error = httpx.Response(500, json={"message": "no correlation id, status or path"})
    assert response_errors(Exchange(request, error), BASE_PATH)
