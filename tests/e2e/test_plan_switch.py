"""Changing a subscription's plan, and its next term, from its page in a real browser (Chromium).

The purchase is sent and completed through the pipeline's own functions against the
in-process simulator (the live server shares this process), as in test_after_the_order.
"""

import uuid
from contextlib import nullcontext

import pytest
from playwright.sync_api import expect

from orders.models import Order
from orders.services import order_place
from renewals.services import customer_subscriptions_sync
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, order_request
from tests.orders.simulated import plain_products
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import TAILSPIN

from .test_after_the_order import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


@pytest.fixture
def bought(transactional_db):
    """Nora's customer Contoso with a completed Business Basic subscription of 3 seats."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(name="Northwind IT", time_zone="Europe/Berlin")
        nora = UserFactory(reseller=reseller, username="nora", first_name="Nora")
        contoso = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        order = order_place(
            request=order_request(
                contoso,
                plain_products(1),
                microsoft_domain=f"contoso{uuid.uuid4().hex[:6]}.onmicrosoft.com",
            ),
            reseller=reseller,
            placed_by=nora,
            idempotency_key=uuid.uuid4(),
            ip_address="203.0.113.7",
            channel=Order.Channel.WIZARD,
        )
        completed = complete_through_simulator(order, simulator, no_capture)
        with simulator.client() as client:
            customer_subscriptions_sync(customer=contoso, client=client)
        yield simulator, completed.subscriptions.get()


def test_an_upgrade_is_placed_from_the_subscription_page(page, live_server, bought):
    simulator, subscription = bought
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/subscriptions/{subscription.pk}/")
    page.get_by_role("link", name="Change the plan or term…").click()
    expect(page.get_by_role("heading", name="Upgrades")).to_be_visible()
    standard = page.locator("li", has_text="Microsoft 365 Business Standard").first
    expect(standard).to_contain_text("the renewal date stays the same")
    standard.get_by_label("Seats to move").fill("2")
    standard.get_by_role("button").click()
    expect(page.get_by_role("heading", name="Upgrade 2 seats to")).to_be_visible()
    expect(page.locator("#money")).to_contain_text("The marketplace estimates a charge of")
    page.shots("upgrade-review")
    page.get_by_role("button", name="Place the upgrade").click()
    expect(page.get_by_text("placed.")).to_be_visible()
    change = Order.objects.get(subscription=subscription)
    assert page.url.endswith(f"/orders/{change.reference}/")
    complete_through_simulator(change, simulator, no_capture)
    page.goto(f"{live_server.url}/subscriptions/{subscription.pk}/")
    expect(
        page.get_by_text("Seats", exact=True).locator("xpath=following-sibling::dd[1]")
    ).to_have_text("1")
    moved = change.subscriptions.get()
    assert moved.seats == 2 and "Standard" in moved.product.name
    page.shots("upgrade-done")


def test_a_change_scheduled_for_the_renewal_is_then_cancelled(page, live_server, bought):
    simulator, subscription = bought
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/subscriptions/{subscription.pk}/")
    page.get_by_label("Seats for the next term").fill("2")
    page.get_by_role("button", name="Schedule for the renewal").click()
    expect(page.get_by_text("seats from the renewal on")).to_be_visible()
    change = Order.objects.get(subscription=subscription, at_renewal=True)
    complete_through_simulator(change, simulator, no_capture)
    page.reload()
    renewal = page.locator("section", has=page.get_by_role("heading", name="At the next renewal"))
    expect(renewal).to_contain_text("3 → 2 seats")
    page.shots("renewal-change-scheduled")
    renewal.get_by_role("button", name="Cancel the change").click()
    expect(page.get_by_text("the subscription renews as it is")).to_be_visible()
    expect(page.get_by_role("button", name="Schedule for the renewal")).to_be_visible()
    change.refresh_from_db()
    assert change.status == "cancelled"
    with simulator.client() as client:
        assert client.get_order(order_id=change.upstream_order_id).status == "cancelled"
    subscription.refresh_from_db()
    assert subscription.seats == 3
