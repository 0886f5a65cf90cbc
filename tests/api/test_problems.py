"""Every refusal under /api/ is one RFC 9457 problem shape (application/problem+json)."""

import uuid

import pytest

from orders.models import Order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/orders"
PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert PROBLEM_KEYS <= set(body)
    assert body["status"] == status and body["type"] == "about:blank" and body["detail"]
    return body


def test_400_names_each_query_parameter(api):
    body = assert_problem(api.get(ORDERS, {"limit": "²", "customer_id": "9" * 4400}), 400)

    assert {e["parameter"] for e in body["errors"]} == {"limit", "customer_id"}


def test_400_for_an_id_in_the_path_beyond_any_row(api):
    body = assert_problem(api.get("/api/v1/customers/" + "9" * 30), 400)

    assert body["errors"][0]["parameter"] == "customer_id"


def test_401_without_a_token(client):
    response = client.get(ORDERS)

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_403_when_a_support_session_posts(client, support_user, issued):
    client.force_login(support_user)

    response = client.post(
        ORDERS,
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {issued.secret}",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )

    body = assert_problem(response, 403)
    assert body["detail"] == "Support accounts can read but not change anything."
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v2/orders", "/api/", "/api/v1", "/api/v1/"]
)
def test_404_for_a_path_no_endpoint_has(api, path):
    assert_problem(api.get(path), 404)


def test_404_for_another_resellers_order(api):
    body = assert_problem(api.get(f"{ORDERS}/{OrderFactory().reference}"), 404)

    assert body["detail"] == "No order with this reference is yours."


def test_405_keeps_the_allowed_methods(api):
    response = api.client.put(f"{ORDERS}/validate", {}, **api.auth)

    assert_problem(response, 405)
    assert response["Allow"] == "POST"


def test_409_for_a_cancellation_that_is_no_longer_possible(api, customer):
    order = OrderFactory(customer=customer, status=Order.Status.FAILED)

    assert_problem(api.post(f"{ORDERS}/{order.reference}/cancel"), 409)


def test_413_for_a_body_over_the_upload_limit(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = api.post(ORDERS, raw='{"po_number": "' + "A" * 2000 + '"}', key=uuid.uuid4())

    assert_problem(response, 413)


def test_415_for_a_body_that_is_not_json(api):
    response = api.client.post(
        ORDERS, "a=1", content_type="text/plain", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()), **api.auth
    )

    assert_problem(response, 415)


def test_422_for_a_product_that_is_not_sold(api, customer):
    body = {
        "customer_id": customer.pk,
        "lines": [{"product_id": 2**62, "quantity": 1}],
        "tenant": {"preference": "existing", "domain": "contoso.onmicrosoft.com"},
    }

    problem = assert_problem(api.post(ORDERS, body, key=uuid.uuid4()), 422)

    assert problem["errors"] == [
        {"pointer": "/lines/0/product_id", "detail": "No product with this id is sold."}
    ]


def test_500_is_a_problem_and_is_logged(api, monkeypatch, caplog):
    # Nothing in a healthy product fails on purpose: the order list is made to raise here.
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("api.selectors.api_orders", broken)

    body = assert_problem(api.get(ORDERS), 500)

    assert "database on fire" not in body["detail"]
    assert any("database on fire" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_field_name_with_a_slash_is_escaped_in_its_pointer(api):
    response = api.post(ORDERS, {"a/b~c": 1}, key=uuid.uuid4())

    body = assert_problem(response, 400)
    assert {
        "pointer": "/a~1b~0c",
        "detail": "This field is not part of the API; check its spelling.",
    } in body["errors"]
