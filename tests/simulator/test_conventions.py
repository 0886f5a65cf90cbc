"""List envelopes, pagination, filters, ids, money, correlation ids (README §1.3, §3)."""

import re

import pytest

from .conftest import CUSTOMER


def test_every_response_has_a_correlation_id(api):
    responses = [
        api.get("/products"),
        api.get("/customers/999"),
        api.get("/orders", params={"status": "a,b"}),
        api.control.get("/stats"),
        api.get("/no-such-endpoint"),
    ]
    for response in responses:
        assert re.fullmatch(r"a8n-[0-9a-f-]{36}", response.headers["X-Correlation-ID"])
    ids = {r.headers["X-Correlation-ID"] for r in responses}
    assert len(ids) == len(responses)


def test_lists_come_in_a_data_and_pagination_envelope_with_default_limit_10(api):
    body = api.get("/products").json()
    assert set(body) == {"data", "pagination"}
    assert len(body["data"]) == 10
    assert body["pagination"]["offset"] == 0 and body["pagination"]["limit"] == 10
    assert body["pagination"]["total"] >= 40


def test_offset_and_limit_page_through_the_list(api):
    everything = api.get("/products", params={"limit": 500}).json()["data"]
    page = api.get("/products", params={"offset": 20, "limit": 7}).json()
    assert page["data"] == everything[20:27]
    assert page["pagination"] == {"offset": 20, "limit": 7, "total": len(everything)}
    beyond = api.get("/products", params={"offset": 10_000}).json()
    assert beyond["data"] == []


@pytest.mark.parametrize("params", [{"limit": 501}, {"limit": -1}, {"offset": "x"}])
def test_bad_paging_is_a_400(api, params):
    response = api.get("/customers", params=params)
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_limit_500_is_allowed(api):
    assert api.get("/customers", params={"limit": 500}).status_code == 200


@pytest.mark.parametrize("path", ["/orders", "/subscriptions"])
def test_status_filters_take_one_value_only(api, path):
    response = api.get(path, params={"status": "active,pending"})
    assert response.status_code == 400
    assert "single value" in response.json()["message"]


def test_unknown_query_parameters_are_ignored(api):
    plain = api.get("/customers").json()
    noisy = api.get("/customers", params={"colour": "blue", "sort": "name"}).json()
    assert plain == noisy


def test_details_are_at_the_top_level_with_digit_string_ids(api):
    customer = api.get(f"/customers/{CUSTOMER}").json()
    assert customer["id"] == CUSTOMER and "data" not in customer
    order = api.place()
    assert order["id"].isdigit() and order["customerId"].isdigit()
    assert isinstance(order["total"]["amount"], str)


def test_newest_first(api):
    first = api.place(domain="firstone.onmicrosoft.com", po_number="A")
    api.advance(1)
    second = api.place(domain="secondone.onmicrosoft.com", po_number="B")
    rows = api.get("/orders").json()["data"]
    assert [r["id"] for r in rows[:2]] == [second["id"], first["id"]]
    customers = api.get("/customers").json()["data"]
    created = api.post(
        "/customers",
        json={**api.get(f"/customers/{CUSTOMER}").json(), "name": "Newest Customer Ltd"},
    ).json()
    assert api.get("/customers").json()["data"][0]["id"] == created["id"]
    assert len(customers) == 3


def test_not_found_is_a_404_with_the_error_body(api):
    response = api.get("/orders/424242")
    assert response.status_code == 404
    body = response.json()
    assert body["path"] == "/orders/424242"
    assert body["message"] == "Order #424242 is not found."


def test_unknown_endpoint_gets_the_error_body(api):
    response = api.get("/plans-that-do-not-exist")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_any_region_serves_the_api(api):
    response = api.http.get("http://simulator.test/marketplace/na/products")
    assert response.status_code == 200
