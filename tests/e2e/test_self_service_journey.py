"""An end customer orders for its own company in a real browser, from its home page to tracking."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.factories import (
    CustomerFactory,
    UserFactory,
)
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import WOODGROVE

from .test_order_journeys import PASSWORD, heading, press_next
from .test_price_book import plans_beside_the_order_card

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def woodgrove_user(transactional_db):
    """Ava of Woodgrove Bank, whose reseller Northwind IT is READY and lets customers order."""
    with simulated_marketplace():
        reseller = synced_reseller(name="Northwind IT", self_service_enabled=True)
        woodgrove = CustomerFactory(
            reseller=reseller,
            company_name="Woodgrove Bank",
            upstream_customer_id=WOODGROVE["id"],
            tenant_domain=WOODGROVE["tenant"],
            mca_accepted_on="2025-05-01",
        )
        yield UserFactory(end_customer=True, customer=woodgrove, username="ava")


def test_an_end_customer_orders_and_tracks_its_order(page, live_server, woodgrove_user):
    shot = page.shots
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ava")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="Order licences").first.click()
    # An empty cart sends the customer to the catalogue first.
    expect(page.get_by_text("Choose the plans you want from the catalogue first.")).to_be_visible()
    page.get_by_label("Name or MPN").fill("Exchange Online (Plan 1)")
    page.get_by_role("button", name="Search").click()
    plan = re.compile(r"^Add Exchange Online \(Plan 1\) \(NCE COM ANN\), 1 year, Monthly")
    page.get_by_role("button", name=plan).first.click()
    shot("catalogue")
    page.goto(f"{live_server.url}/catalog/cart/")
    page.get_by_role("link", name="Next: your order").click()

    heading(page, "Cart")
    progress = page.get_by_role("navigation", name="Order steps")
    expect(progress).not_to_contain_text("Customer")
    expect(progress).not_to_contain_text("Partner")
    press_next(page)

    heading(page, "Qualification")
    press_next(page)

    heading(page, "Review and buy")
    expect(page.get_by_text("Northwind IT, your reseller")).to_be_visible()
    page.get_by_label(re.compile("I accept the terms of sale")).check()
    shot("review")
    plans_beside_the_order_card(page)
    page.get_by_role("button", name="Buy").click()

    heading(page, "Your order is placed")
    number = page.locator("#order-number").inner_text()
    page.get_by_role("link", name="Track order").click()
    expect(page.get_by_text(number).first).to_be_visible()
    shot("tracking")
    order = Order.objects.get(reference=number)
    assert (order.customer, order.channel) == (woodgrove_user.customer, Order.Channel.SELF_SERVICE)
