"""Seed 004's company parameters, as the simulator enforces them once told (its control
endpoint /_simulator/customers/<id>/company-validation) that Microsoft did not validate a
customer's company information."""

import pytest

from .conftest import CUSTOMER, sales_body

COMPANY = {
    "effective_address": "1759 Wehrle Dr",
    "effective_city": "Williamsville",
    "effective_state": "NY",
    "effective_postal_code": "14221",
    "effective_country": "US",
    "effective_phonenumber": "(716) 633-3600",
    "customer_company_name": "27 Rings Jewelers",
    "customer_email": "john@27rings.example",
}


def company(**changes):
    return [{"name": name, "value": value} for name, value in {**COMPANY, **changes}.items()]


@pytest.fixture
def not_validated(api):
    answer = api.control.post(f"/customers/{CUSTOMER}/company-validation", json={"passed": False})
    assert answer.status_code == 200
    return api


def test_an_order_without_the_company_details_is_refused_naming_them(not_validated):
    answer = not_validated.post("/orders", json=sales_body(domain="rings1.onmicrosoft.com"))

    assert answer.status_code == 400
    message = answer.json()["message"]
    assert "did not pass Microsoft's validation" in message
    assert all(name in message for name in COMPANY)


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"customer_company_name": "LLC"}, "customer_company_name"),
        ({"customer_email": "john@microsoft.com"}, "@microsoft.com"),
        ({"customer_email": "ops@northwind-it.example"}, "partner's own e-mail domain"),
        ({"effective_country": "USA"}, "effective_country"),
        ({"effective_state": ""}, "effective_state"),
    ],
)
def test_wrong_company_details_are_refused(not_validated, changes, named):
    body = sales_body(domain="rings2.onmicrosoft.com", extra=company(**changes))

    answer = not_validated.post("/orders", json=body)

    assert answer.status_code == 400 and named in answer.json()["message"]


def test_the_corrected_order_is_accepted_and_an_estimate_is_never_refused_for_it(not_validated):
    assert not_validated.post("/orders/estimate", json=sales_body()).status_code == 200

    order = not_validated.place(sales_body(domain="rings3.onmicrosoft.com", extra=company()))

    assert order["status"] == "submitted"


def test_once_validated_the_company_details_are_not_needed(not_validated):
    not_validated.control.post(f"/customers/{CUSTOMER}/company-validation", json={"passed": True})

    assert not_validated.place(sales_body(domain="rings4.onmicrosoft.com"))["status"] == "submitted"


def test_the_rule_needs_a_verdict_and_a_known_customer(api):
    assert api.control.post(f"/customers/{CUSTOMER}/company-validation", json={}).status_code == 400
    missing = api.control.post("/customers/999/company-validation", json={"passed": False})
    assert missing.status_code == 404
