"""Malformed, mistyped and hostile requests get a 4xx problem with field errors, never a 500."""

import uuid

import pytest

from orders.models import Order

from .conftest import field_errors

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders"


def test_malformed_json_is_400(api):
    response = api.post(ORDERS, raw='{"customer_id": 1,', key=uuid.uuid4())

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "The body is not valid JSON.",
    }


def test_a_body_that_is_not_json_is_415(api):
    response = api.client.post(
        ORDERS,
        "customer_id=1",
        content_type="text/plain",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        **api.auth,
    )

    assert response.status_code == 415
    assert response.json()["detail"] == "Send the body as JSON (Content-Type: application/json)."


def test_wrong_types_are_named_field_by_field(api, customer):
    body = {
        "customer_id": "12",
        "lines": [
            {"product_id": 1, "quantity": "3", "offer_attestation_accepted": "yes"},
            {"mpn": "CFQ7TTC0LH18", "quantity": 1},
        ],
        "tenant": {"preference": "new", "domain": 42},
        "partner_of_record_accepted": 1,
        "agreement": {"first_name": "Jane", "accepted_on": "2026-01-31"},
        "terms_accepted": "true",
        "po_numbr": "typo",
    }

    response = api.post(ORDERS, body, key=uuid.uuid4())

    assert response.status_code == 400
    assert field_errors(response) == [
        "/customer_id",
        "/lines/0/quantity",
        "/lines/0/offer_attestation_accepted",
        "/lines/1",
        "/tenant/domain",
        "/partner_of_record_accepted",
        "/agreement/last_name",
        "/agreement/email",
        "/agreement/accepted_on",
        "/terms_accepted",
        "/po_numbr",
    ]
    messages = {e["pointer"]: e["detail"] for e in response.json()["errors"]}
    assert messages["/po_numbr"] == "This field is not part of the API; check its spelling."
    assert messages["/lines/1"] == "A line given by mpn also needs its term and billing."
    # The rule's own message (rules.check_agreement_date), as the wizard shows it.
    assert messages["/agreement/accepted_on"].startswith("Write the date as MM-DD-YYYY")


HOSTILE_BODIES = {
    "array body": "[1, 2, 3]",
    "null body": "null",
    "NUL byte in a string": '{"customer_id": 1, "po_number": "PO\\u0000", "lines": []}',
    "lone surrogate": '{"customer_id": 1, "tenant": {"preference": "\\ud800"}}',
    "huge integers": '{"customer_id": 1'
    + "0" * 400
    + ', "lines": [{"product_id": '
    + "9" * 30
    + ', "quantity": 100000000000000000000}]}',
    "deep nesting": '{"tenant": ' + "[" * 5000 + "]" * 5000 + "}",
    "objects where strings go": '{"customer_id": {"$gt": 0}, "lines": {"0": {}}, '
    '"tenant": "new", "agreement": [1]}',
    "price that is not a number": '{"customer_id": 1, "lines": [{"product_id": 1, "quantity": '
    '1, "expected_unit_price": "NaN"}], "tenant": {"preference": '
    '"new"}}',
    "very long strings": '{"customer_id": 1, "po_number": "' + "A" * 100_000 + '"}',
    "non-UTF-8 bytes": b'{"po_number": "\xff\xfe"}',
    "floats and booleans as ids": '{"customer_id": true, "lines": [{"product_id": 1.5, '
    '"quantity": 1e400}]}',
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_payloads_are_refused_without_a_500(api, body):
    response = api.post(ORDERS, raw=body, key=uuid.uuid4())

    assert response.status_code in (400, 413), response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "query",
    [
        {"segment": "'; DROP TABLE"},
        {"term": "P99Y"},
        {"cursor": "forged"},
        {"limit": "0"},
        {"limit": "-1"},
        {"limit": "²"},
        {"limit": "9" * 4400},
        {"q": "\x00" * 10},
    ],
)
def test_hostile_query_strings_are_refused_or_harmless(api, query):
    response = api.get("/api/v1/products", query)

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert field_errors(response) == list(query)


@pytest.mark.parametrize(
    "query", [{"status": "lost"}, {"customer_id": "1 OR 1=1"}, {"customer_id": "9" * 40}]
)
def test_bad_order_filters_are_400(api, query):
    response = api.get(ORDERS, query)

    assert response.status_code == 400
    assert field_errors(response) == list(query)


def test_an_unknown_method_is_405(api):
    response = api.client.delete(ORDERS, **api.auth)

    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
