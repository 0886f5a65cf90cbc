"""POST /api/v1/subscriptions/{id}/changes: the same services as the pages, over the API.

The subscription is bought and completed through the product's own paths against the
in-process simulator; each change placed here is a change order the pipeline then sends.
"""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from orders.models import Order, Subscription
from orders.services.switching import plan_switch_options
from pricing.models import Method, PriceBook, Rounding
from tests.orders.helpers import complete_through_simulator, completed_order
from tests.orders.simulated import plain_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(
    upstream_customer, upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="buyer@northwind.example",
    )
    return order.subscriptions.get()


def changes(api, subscription, **body):
    return api.post(f"/api/v1/subscriptions/{subscription.pk}/changes", body)


def standard_plan(simulator, subscription) -> str:
    with simulator.client() as client:
        options = plan_switch_options(subscription=subscription, client=client)
    return next(o.plan_id for o in options if o.is_upgrade and "Standard" in o.product.name)


def test_an_upgrade_is_checked_then_placed(upstream_api, simulator, subscription):
    plan = standard_plan(simulator, subscription)
    checked = changes(
        upstream_api, subscription, type="upgrade", seats=2, plan_id=plan, validate_only=True
    )
    assert checked.status_code == 200, checked.content
    assert checked.json()["ready"] is True and float(checked.json()["amount"]) > 0
    assert not Order.objects.filter(subscription=subscription).exists()

    placed = changes(upstream_api, subscription, type="upgrade", seats=2, plan_id=plan)
    assert placed.status_code == 202, placed.content
    change = Order.objects.get(subscription=subscription)
    assert placed.json()["reference"] == change.reference
    assert change.plan_switch["partial"] is True and change.channel == "api"

    again = changes(upstream_api, subscription, type="upgrade", seats=2, plan_id=plan)
    assert again.status_code == 409
    assert "still in progress" in again.json()["detail"]


def test_a_plan_not_offered_is_refused_in_words(upstream_api, subscription):
    refused = changes(upstream_api, subscription, type="upgrade", seats=1, plan_id="99999")
    assert refused.status_code == 409
    assert "does not offer that switch" in refused.json()["detail"]


def test_seats_for_the_next_term_are_scheduled(upstream_api, subscription):
    subscription.renewal_date = subscription.created_at.date().replace(year=2099)
    subscription.save()
    placed = changes(upstream_api, subscription, type="renewal_seats", seats=1)
    assert placed.status_code == 202, placed.content
    assert Order.objects.get(subscription=subscription).at_renewal


def test_another_resellers_subscription_is_not_found(api, subscription):
    assert changes(api, subscription, type="seats", seats=4).status_code == 404


def test_an_upgrade_over_the_api_is_placed_and_sent_at_the_books_price(
    upstream_api, simulator, subscription, django_capture_on_commit_callbacks
):
    PriceBook.objects.create(
        reseller=subscription.customer.reseller,
        method=Method.MARKUP,
        rate=Decimal("20"),
        rounding=Rounding.CENT,
    )
    plan = standard_plan(simulator, subscription)
    placed = changes(upstream_api, subscription, type="upgrade", seats=1, plan_id=plan)
    assert placed.status_code == 202, placed.content
    change = Order.objects.get(subscription=subscription)
    line = change.lines.select_related("product").get()
    price = (line.product.cost * Decimal("1.2")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (line.unit_price, line.unit_cost) == (price, line.product.cost)
    assert price != line.product.price

    change = complete_through_simulator(change, simulator, django_capture_on_commit_callbacks)
    sent = change.exchanges.get(operation="create_order").request_body["products"][0]
    assert sent["specialPrice"] == {"amount": str(price), "currency": "USD"}
    assert Subscription.objects.get(order=change).unit_price == price
