"""A reseller approves its end customer's self-service order in a real browser.

The customer buys through self-service; the order waits for approval (nothing
sent). The reseller finds it from its dashboard, is told at the field that a
decline needs a reason, then approves it, and the order goes on its way.
"""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.factories import CartLineFactory, CustomerFactory, UserFactory
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.conftest import product
from tests.wizard.simulated import WOODGROVE

from .test_order_journeys import PASSWORD, heading, press_next

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approving_reseller(transactional_db):
    with simulated_marketplace():
        reseller = synced_reseller(
            name="Northwind IT",
            self_service_enabled=True,
            self_service_approval_required=True,
        )
        UserFactory(reseller=reseller, username="nora", first_name="Nora", last_name="Whitfield")
        woodgrove = CustomerFactory(
            reseller=reseller,
            company_name="Woodgrove Bank",
            upstream_customer_id=WOODGROVE["id"],
            tenant_domain=WOODGROVE["tenant"],
            mca_accepted_on="2025-05-01",
        )
        ava = UserFactory(end_customer=True, customer=woodgrove, username="ava")
        CartLineFactory(cart__user=ava, product=product(), quantity=5)
        yield reseller


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_reseller_declines_without_reason_then_approves(
    browser, page, live_server, approving_reseller
):
    shot = page.shots
    sign_in(page, live_server, "ava")
    page.goto(f"{live_server.url}/catalog/cart/")
    page.get_by_role("link", name="Next: your order").click()
    heading(page, "Cart")
    press_next(page)
    heading(page, "Qualification")
    press_next(page)
    heading(page, "Review and buy")
    page.get_by_label(re.compile("I accept the terms of sale")).check()
    page.get_by_role("button", name="Buy").click()
    heading(page, "Your order is placed")
    number = page.locator("#order-number").inner_text()
    page.get_by_role("link", name="Track order").click()
    expect(page.get_by_text("Your reseller reviews self-service orders")).to_be_visible()
    shot("customer-waits")

    reseller = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    staff = reseller.new_page()
    staff.set_default_timeout(15_000)
    sign_in(staff, live_server, "nora")
    expect(staff.get_by_text("1 self-service order waits for your approval")).to_be_visible()
    staff.screenshot(path=str(shot.folder / "02-reseller-dashboard.png"), full_page=True)
    staff.get_by_role("link", name="Review it").click()
    heading(staff, "Orders to approve")
    expect(staff.get_by_text("Woodgrove Bank")).to_be_visible()

    staff.get_by_role("button", name="Decline").click()
    expect(staff.get_by_text("Say why the order is declined")).to_be_visible()
    staff.screenshot(path=str(shot.folder / "03-decline-needs-a-reason.png"), full_page=True)
    assert Order.objects.get(reference=number).status == Order.Status.AWAITING_APPROVAL

    staff.get_by_role("button", name="Approve and send").click()
    expect(staff.get_by_text(f"Order {number} approved: it is being sent.")).to_be_visible()
    expect(staff.get_by_text("No order is waiting for your approval.")).to_be_visible()
    staff.screenshot(path=str(shot.folder / "04-approved.png"), full_page=True)
    reseller.close()

    order = Order.objects.get(reference=number)
    assert order.status != Order.Status.AWAITING_APPROVAL
    assert order.events.get(action="approve").actor_user.username == "nora"
