"""POST /api/v1/orders places the same order the wizard would, once per Idempotency-Key.

The marketplace is the project's simulator, in-process (SimulatorTransport).
"""

import uuid
from datetime import date

import pytest

from api.inputs import OrderIn, order_request
from api.models import ApiOrder
from orders.models import Order
from tests.factories import CustomerFactory
from tests.orders.simulated import plain_products
from wizard.forms.agreement import AGREEMENT_TEXT
from wizard.forms.attestation import PARTNER_OF_RECORD_TEXT
from wizard.forms.cart import LineSnapshot
from wizard.forms.review import TERMS_TEXT
from wizard.request_builder import build_order_request

from .conftest import field_errors

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders"
DOMAIN = "freshname20260321.onmicrosoft.com"


def payload(customer, products, **overrides):
    body = {
        "customer_id": customer.pk,
        "lines": [
            {
                "mpn": p.mpn,
                "term": p.term,
                "billing": p.billing_period,
                "quantity": 3,
                "expected_unit_price": str(p.price),
            }
            for p in products
        ],
        "tenant": {"preference": "new", "domain": DOMAIN},
        "partner_of_record_accepted": True,
        "agreement": {
            "first_name": "Jane",
            "last_name": "Doe",
            "email": "jane.doe@contoso.example",
            "accepted_on": "01-31-2026",
        },
        "special_qualification": "None",
        "po_number": "PO-77",
        "terms_accepted": True,
    }
    body.update(overrides)
    return body


def wizard_request(customer, products):
    """The OrderRequest the wizard builds from the same choices, step by step."""
    return build_order_request(
        steps={
            "cart": {"lines": [LineSnapshot(p.pk, 3, str(p.price)) for p in products]},
            "customer": {"customer": customer},
            "tenant": {
                "tenant_preference": "new",
                "microsoft_domain": DOMAIN,
                "microsoft_tenant_id": "",
            },
            "attestation": {"partner_of_record": True},
            "agreement": {
                "first_name": "Jane",
                "last_name": "Doe",
                "email": "jane.doe@contoso.example",
                "accepted_on": date(2026, 1, 31),
            },
            "qualification": {"special_qualification": "None", "education_segment": ""},
            "review": {"po_number": "PO-77", "terms": True},
        }
    )


def test_an_order_is_placed_with_the_wizards_parameters_and_texts(upstream_api, upstream_customer):
    products = plain_products(2)
    key = uuid.uuid4()

    response = upstream_api.post(ORDERS, payload(upstream_customer, products), key=key)

    assert response.status_code == 201, response.json()
    body = response.json()
    order = Order.objects.get(reference=body["reference"])
    assert (order.channel, order.idempotency_key, order.po_number) == ("api", key, "PO-77")
    assert order.placed_by == upstream_api.staff
    assert ApiOrder.objects.get(order=order).token == upstream_api.token
    # The order-level parameters upstream needs for a new tenant (docs/api.md, the
    # seeds' parameter list), written out: built by order_parameters() itself,
    # the expectation would follow any mistake in it.
    expected = [
        {"name": "tenant_preference", "value": "new"},
        {"name": "microsoft_domain", "value": DOMAIN},
        {
            "name": "partner_on_record_attestation_accepted",
            "structured_value": {"attestation_accepted": True},
        },
        {"name": "mca_acceptance", "value": "yes"},
        {"name": "agreement_date", "value": "01-31-2026"},
        {"name": "first_name_agreement", "value": "Jane"},
        {"name": "last_name_agreement", "value": "Doe"},
        {"name": "email_address_agreement", "value": "jane.doe@contoso.example"},
        {"name": "special_qualifications", "value": "None"},
    ]
    stored = [
        {
            "name": p.name,
            **(
                {"structured_value": p.structured_value}
                if p.structured_value is not None
                else {"value": p.value}
            ),
        }
        for p in order.parameters.filter(line=None)
    ]
    assert stored == expected
    texts = {a.kind: a.text for a in order.attestations.all()}
    assert texts == {
        "partner_of_record": PARTNER_OF_RECORD_TEXT,
        "terms": TERMS_TEXT,
        "customer_agreement": texts["customer_agreement"],
    }
    assert texts["customer_agreement"].startswith(AGREEMENT_TEXT)
    assert [line["mpn"] for line in body["lines"]] == [p.mpn for p in products]
    assert body["status"] == "placed" and body["events"][0]["action"] == "place"


def test_the_api_builds_the_same_request_as_the_wizard(upstream_customer, upstream_reseller):
    products = plain_products(2)
    body = OrderIn.model_validate(payload(upstream_customer, products))

    assert order_request(body) == wizard_request(upstream_customer, products)


def test_the_same_key_twice_gives_one_order(upstream_api, upstream_customer):
    body, key = payload(upstream_customer, plain_products()), uuid.uuid4()

    first = upstream_api.post(ORDERS, body, key=key)
    again = upstream_api.post(ORDERS, body, key=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert Order.objects.count() == 1


def test_the_same_key_with_a_different_order_is_a_conflict(upstream_api, upstream_customer):
    key = uuid.uuid4()
    upstream_api.post(ORDERS, payload(upstream_customer, plain_products()), key=key)

    response = upstream_api.post(
        ORDERS, payload(upstream_customer, plain_products(), po_number="PO-78"), key=key
    )

    assert response.status_code == 409
    assert field_errors(response) == ["Idempotency-Key"]
    assert "different request" in response.json()["errors"][0]["detail"]
    assert Order.objects.count() == 1


@pytest.mark.parametrize("key", [None, "not-a-uuid"])
def test_the_idempotency_key_is_required(upstream_api, upstream_customer, key):
    response = upstream_api.post(ORDERS, payload(upstream_customer, plain_products()), key=key)

    assert response.status_code == 400
    assert field_errors(response) == ["Idempotency-Key"]


def test_every_problem_is_returned_at_its_field(upstream_api, upstream_customer):
    body = payload(
        upstream_customer,
        plain_products(),
        partner_of_record_accepted=False,
        terms_accepted=False,
        agreement=None,
        tenant={"preference": "new", "domain": "contoso.onmicrosoft.com"},
    )

    response = upstream_api.post(ORDERS, body, key=uuid.uuid4())

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert field_errors(response) == [
        "/partner_of_record_accepted",
        "/terms_accepted",
        "/agreement",
        "/tenant/domain",
    ]
    assert all(e["detail"] and e["fix"] for e in errors)
    assert Order.objects.count() == 0


def test_another_resellers_customer_cannot_be_ordered_for(upstream_api, upstream_customer):
    foreign = CustomerFactory()

    response = upstream_api.post(ORDERS, payload(foreign, plain_products()), key=uuid.uuid4())

    assert response.status_code == 422
    assert field_errors(response) == ["/customer_id"]
    assert "not one of yours" in response.json()["errors"][0]["detail"]


def test_an_unknown_mpn_is_named_at_its_line(upstream_api, upstream_customer):
    body = payload(upstream_customer, plain_products())
    body["lines"].append({"mpn": "NO-SUCH-MPN", "term": "P1Y", "billing": "P1M", "quantity": 1})

    response = upstream_api.post(ORDERS, body, key=uuid.uuid4())

    assert response.status_code == 422
    assert field_errors(response) == ["/lines/1/mpn"]


def test_another_resellers_key_is_simply_a_new_key(upstream_api, upstream_customer):
    from tests.factories import OrderFactory

    key = uuid.uuid4()
    foreign = OrderFactory(idempotency_key=key)  # another reseller's order under this key
    assert foreign.reseller != upstream_customer.reseller

    response = upstream_api.post(ORDERS, payload(upstream_customer, plain_products()), key=key)

    assert response.status_code == 201, response.json()
    assert "another account" not in response.content.decode()
    order = Order.objects.get(reference=response.json()["reference"])
    assert order.reseller == upstream_customer.reseller and order.idempotency_key == key
    assert response.json()["reference"] != foreign.reference
    again = upstream_api.post(ORDERS, payload(upstream_customer, plain_products()), key=key)
    assert (again.status_code, again.json()["reference"]) == (200, order.reference)
