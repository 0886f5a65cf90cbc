"""A seat reduction's page shows the marketplace's refund as soon as it is recorded, unreloaded.

The reduction is placed and sent through the product's own functions (the live
server shares this process and the in-process simulator); the browser only
watches the change order's page refresh itself.
"""

from contextlib import nullcontext

import pytest
from playwright.sync_api import expect

from orders.models import Order
from orders.pipeline import submission
from orders.services.changes import seat_change
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, place_for
from tests.orders.simulated import plain_products
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import TAILSPIN

from .test_order_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


@pytest.fixture
def purchased(transactional_db):
    """Northwind IT's completed order for Contoso, its subscription still in the 7-day window."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(name="Northwind IT")
        nora = UserFactory(reseller=reseller, username="nora", first_name="Nora")
        contoso = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        order = place_for(
            contoso,
            plain_products(1),
            placed_by=nora,
            channel=Order.Channel.WIZARD,
            domain_prefix="contoso",
        )
        yield complete_through_simulator(order, simulator, no_capture)


def test_the_marketplace_refund_replaces_our_estimate_without_a_reload(
    page, live_server, purchased
):
    subscription = purchased.subscriptions.get()
    change = seat_change(
        subscription=subscription, new_total=subscription.seats - 1, user=purchased.placed_by
    )
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/orders/{change.reference}/")
    refund = page.locator("#refund")
    expect(refund).to_contain_text("Estimated refund")

    submission.order_submit(change.pk)  # as the worker would, while the page is open
    change.refresh_from_db()
    assert change.marketplace_refund is not None

    expect(refund).to_contain_text(
        f"Refund estimated by the marketplace: {change.marketplace_refund}", timeout=10_000
    )
    page.shots("refund-refreshed")
