"""Reads: paged lists and details of the token's own reseller only; others' objects are 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import Order
from tests.factories import (
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def test_products_are_paged_with_a_cursor_and_filtered(api):
    monthly = [
        ProductFactory(segment="commercial", term="P1Y", billing_period="P1M") for _ in range(3)
    ]
    ProductFactory(segment="commercial", term="P1Y", billing_period="P1Y")

    first = api.get("/api/v1/products", {"term": "P1Y", "billing": "P1M", "limit": 2}).json()
    second = api.get(
        "/api/v1/products",
        {"term": "P1Y", "billing": "P1M", "limit": 2, "cursor": first["next_cursor"]},
    ).json()

    ids = [p["id"] for p in first["results"] + second["results"]]
    assert ids == [p.pk for p in monthly]
    assert second["next_cursor"] is None
    assert first["results"][0]["unit_price"] == str(monthly[0].price)


def test_customers_are_the_resellers_own(api, customer):
    CustomerFactory()  # another reseller's

    body = api.get("/api/v1/customers").json()

    assert [c["id"] for c in body["results"]] == [customer.pk]
    assert api.get(f"/api/v1/customers/{customer.pk}").json()["company_name"] == (
        customer.company_name
    )


def test_another_resellers_customer_and_order_are_404(api):
    foreign = OrderFactory()

    assert api.get(f"/api/v1/customers/{foreign.customer_id}").status_code == 404
    assert api.get(f"/api/v1/orders/{foreign.reference}").status_code == 404
    assert api.post(f"/api/v1/orders/{foreign.reference}/cancel").status_code == 404
    assert api.get("/api/v1/orders").json()["results"] == []


def test_orders_are_listed_newest_first_and_filtered(api, customer):
    older = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    newer = OrderFactory(customer=customer, status=Order.Status.FAILED)

    listed = api.get("/api/v1/orders").json()["results"]
    failed = api.get("/api/v1/orders", {"status": "failed"}).json()["results"]

    assert [o["reference"] for o in listed] == [newer.reference, older.reference]
    assert [o["reference"] for o in failed] == [newer.reference]


def test_an_order_shows_its_lines_subscriptions_and_history(api, customer):
    order = OrderFactory(
        customer=customer, status=Order.Status.COMPLETED, upstream_order_number="SO-1001"
    )
    line = OrderLineFactory(order=order)
    subscription = SubscriptionFactory(order=order)
    order.events.create(to_status="placed", action="place", cause="Placed.", actor="reseller")

    body = api.get(f"/api/v1/orders/{order.reference}").json()

    assert (body["status"], body["upstream_order_number"]) == ("completed", "SO-1001")
    assert [ln["mpn"] for ln in body["lines"]] == [line.mpn]
    assert [s["id"] for s in body["subscriptions"]] == [subscription.upstream_id]
    assert [e["action"] for e in body["events"]] == ["place"]


def test_a_follow_up_order_names_its_parent(api, customer):
    parent = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    follow_up = OrderFactory(customer=customer, parent=parent, kind=Order.Kind.CANCELLATION)

    assert api.get(f"/api/v1/orders/{follow_up.reference}").json()["parent_reference"] == (
        parent.reference
    )
    assert api.get(f"/api/v1/orders/{parent.reference}").json()["parent_reference"] is None


def test_an_orders_parameters_come_in_their_models_order_with_their_lines(api, customer):
    order = OrderFactory(customer=customer)
    first, second = OrderLineFactory(order=order), OrderLineFactory(order=order)
    # Written out of order: the second line's first, the order's own between the lines'.
    order.parameters.create(line=second, name="seats_note", value="b")
    order.parameters.create(line=first, name="seats_note", value="a")
    order.parameters.create(name="tenant_preference", value="new")
    order.parameters.create(line=first, name="coterm", value="x")

    body = api.get(f"/api/v1/orders/{order.reference}").json()

    expected = [
        (p.name, p.value, [first, second].index(p.line) if p.line else None)
        for p in order.parameters.select_related("line")  # OrderParameter.Meta.ordering
    ]
    assert [(p["name"], p["value"], p["line"]) for p in body["parameters"]] == expected
    assert [p["line"] for p in body["parameters"]].count(None) == 1
    assert [p["value"] for p in body["parameters"] if p["line"] is not None] == ["a", "x", "b"]


def test_a_completed_order_is_cancelled_within_its_window(
    api, customer, django_capture_on_commit_callbacks
):
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    subscription = SubscriptionFactory(
        order=order, status="active", cancellation_window_ends_at=timezone.now() + timedelta(days=3)
    )

    with django_capture_on_commit_callbacks():
        response = api.post(f"/api/v1/orders/{order.reference}/cancel")

    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "cancel_requested"
    [follow_up] = body["cancellation_orders"]
    assert follow_up["kind"] == "cancellation"
    assert follow_up["channel"] == "api"
    assert Order.objects.get(reference=follow_up["reference"]).subscription == subscription


def test_an_order_past_its_window_cannot_be_cancelled(api, customer):
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    SubscriptionFactory(
        order=order,
        status="active",
        cancellation_window_ends_at=timezone.now() - timedelta(hours=1),
    )

    response = api.post(f"/api/v1/orders/{order.reference}/cancel")

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "window" in response.json()["detail"]
