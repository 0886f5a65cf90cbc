"""POST /api/v1/orders/validate: the same body and checks as placing, and nothing is placed.

The marketplace is the project's simulator, in-process (SimulatorTransport).
"""

import pytest

from orders.models import Order
from tests.orders.simulated import plain_products

from .conftest import field_errors
from .test_place import payload

pytestmark = pytest.mark.django_db

VALIDATE = "/api/v1/orders/validate"


def test_a_good_order_is_ready_and_nothing_is_placed(upstream_api, upstream_customer):
    products = plain_products(2)

    response = upstream_api.post(VALIDATE, payload(upstream_customer, products))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["ready"] is True
    assert body["total"] == str(sum(p.price * 3 for p in products))
    assert Order.objects.count() == 0


def test_every_problem_at_once_including_the_marketplaces_refusal(upstream_api, upstream_customer):
    body = payload(
        upstream_customer,
        plain_products(),
        partner_of_record_accepted=False,
        terms_accepted=False,
        tenant={"preference": "new", "domain": "contoso.onmicrosoft.com"},
    )
    body["agreement"]["email"] = "not-an-address"

    response = upstream_api.post(VALIDATE, body)

    assert response.status_code == 422
    assert field_errors(response) == [
        "/partner_of_record_accepted",
        "/terms_accepted",
        "/agreement/email",
        "/tenant/domain",
    ]
    # The last one is the marketplace's answer: the simulator knows contoso is taken.
    taken = response.json()["errors"][-1]
    assert "contoso.onmicrosoft.com" in taken["detail"] and taken["fix"]
    assert Order.objects.count() == 0


def test_a_malformed_body_is_400_as_when_placing(upstream_api, upstream_customer):
    body = payload(upstream_customer, plain_products())
    body["lines"][0]["quantity"] = "3"

    response = upstream_api.post(VALIDATE, body)

    assert response.status_code == 400
    assert field_errors(response) == ["/lines/0/quantity"]


def test_validate_needs_no_idempotency_key_and_counts_no_placement(
    upstream_api, upstream_customer, settings
):
    settings.API_RATE_LIMITS = {"ORDERS_PER_MINUTE": 1}
    body = payload(upstream_customer, plain_products())

    answers = [upstream_api.post(VALIDATE, body).status_code for _ in range(3)]

    assert answers == [200, 200, 200]


def test_a_po_number_the_marketplace_would_cut_is_refused_at_its_field(
    upstream_api, upstream_customer
):
    # poNumber holds 64 characters and starts with our reference and " / ": a longer
    # PO used to be accepted here and reach the distributor's invoice cut short.
    body = payload(upstream_customer, plain_products(), po_number="PO-" + "7" * 50)

    response = upstream_api.post(VALIDATE, body)

    assert response.status_code in (400, 422), response.json()
    [error] = response.json()["errors"]
    assert error["pointer"] == "/po_number"
    assert "at most 40 characters" in error["detail"]
    fits = upstream_api.post(
        VALIDATE, payload(upstream_customer, plain_products(), po_number="PO-" + "7" * 37)
    )
    assert fits.json()["ready"] is True
