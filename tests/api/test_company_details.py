"""The JSON API takes seed 004's company details too: checked at their fields, sent as the
``effective_*``, ``customer_company_name`` and ``customer_email`` parameters."""

import uuid

import pytest

from orders.models import Order
from tests.orders.simulated import plain_products

from .conftest import field_errors
from .test_place import ORDERS, payload

pytestmark = pytest.mark.django_db

COMPANY = {
    "company_name": "27 Rings Jewelers",
    "email": "john@27rings.example",
    "street_address": "1759 Wehrle Dr",
    "city": "Williamsville",
    "state": "NY",
    "postal_code": "14221",
    "country": "US",
    "phone": "(716) 633-3600",
}


def test_an_order_with_company_details_carries_seed_004s_parameters(
    upstream_api, upstream_customer
):
    body = payload(upstream_customer, plain_products(), company=COMPANY)

    response = upstream_api.post(ORDERS, body, key=uuid.uuid4())

    assert response.status_code == 201, response.json()
    order = Order.objects.get(reference=response.json()["reference"])
    values = dict(order.parameters.filter(line=None).values_list("name", "value"))
    assert values["customer_company_name"] == "27 Rings Jewelers"
    assert values["customer_email"] == "john@27rings.example"
    assert (values["effective_address"], values["effective_city"]) == (
        "1759 Wehrle Dr",
        "Williamsville",
    )
    assert (values["effective_state"], values["effective_postal_code"]) == ("NY", "14221")
    assert (values["effective_country"], values["effective_phonenumber"]) == ("US", "+17166333600")


def test_bad_company_details_are_refused_at_their_fields(upstream_api, upstream_customer):
    company = {**COMPANY, "company_name": "Inc.", "email": "john@microsoft.com", "postal_code": "x"}
    body = payload(upstream_customer, plain_products(), company=company)

    response = upstream_api.post(ORDERS, body, key=uuid.uuid4())

    assert response.status_code == 422, response.json()
    assert set(field_errors(response)) == {
        "/company/company_name",
        "/company/email",
        "/company/postal_code",
    }
    assert not Order.objects.exists()
