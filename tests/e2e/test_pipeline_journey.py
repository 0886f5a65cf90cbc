"""A reseller buys in Chromium and watches the order page turn to completed by itself.

Nothing is faked: the live server and a real Celery worker (with its beat)
share the test database; the marketplace is the simulator as a separate
process over HTTP (fixtures of tests/pipeline/conftest.py), so the order goes
through the same submission and polling a production order does. The page
is never reloaded: htmx refreshes the status while the order can change.
"""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Order
from tests.pipeline import conftest as pipeline
from tests.wizard.simulated import WOODGROVE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The pipeline's real parts, under the names tests/pipeline uses.
simulator_process = pipeline.simulator_process
simulator = pipeline.simulator
start_worker = pipeline.start_worker
upstream = pipeline.upstream

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's
#: Submission, then the simulator's assigning and provisioning phases, then a poll.
COMPLETION_TIMEOUT_MS = 90_000


def press_next(page):
    page.get_by_role("button", name="Next", exact=True).click()


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


@pytest.fixture
def woodgrove(upstream):
    """The simulator's seeded customer, ready to order: existing tenant, relationship and MCA."""
    reseller, customer, buyer = upstream
    customer.company_name = "Woodgrove Bank"
    customer.tenant_domain = WOODGROVE["tenant"]
    customer.mca_accepted_on = "2025-05-01"
    customer.save()
    return reseller, customer, buyer


def test_an_order_bought_in_the_browser_is_provisioned_while_its_page_is_open(
    page, live_server, woodgrove, simulator, start_worker
):
    reseller, customer, buyer = woodgrove
    # Seconds per upstream phase (real time): long enough that the order page
    # opens before the order completes, so the test sees it change.
    simulator.control("POST", "timings", {"submitted": 4, "assigning": 4, "provisioning": 4})
    worker = start_worker()
    shot = page.shots

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(buyer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    page.goto(f"{live_server.url}/catalog/")
    page.get_by_label("Name or MPN").fill("Exchange Online (Plan 1)")
    page.get_by_role("button", name="Search").click()
    page.get_by_role(
        "button", name=re.compile(r"^Add Exchange Online \(Plan 1\) \(NCE COM ANN\), 1 year")
    ).first.click()
    expect(page.locator("#cart-badge .cart-badge__count")).to_have_text("1")
    page.goto(f"{live_server.url}/order/")
    heading(page, "Cart")
    press_next(page)

    heading(page, "Customer")
    page.get_by_label("Search your customers").press_sequentially("woodgr", delay=30)
    page.get_by_label(re.compile("Woodgrove Bank")).check()
    press_next(page)
    heading(page, "Partner")
    press_next(page)
    heading(page, "Tenant")
    expect(page.get_by_label("Existing tenant", exact=True)).to_have_value(WOODGROVE["tenant"])
    press_next(page)
    heading(page, "Attestations")
    page.get_by_label("I accept the Partner of Record attestation above.").check()
    press_next(page)
    heading(page, "Qualification")
    press_next(page)
    heading(page, "Review and buy")
    page.get_by_label("Your PO number").fill("PO-BROWSER-1")
    page.get_by_label(re.compile("I accept the terms of sale")).check()
    shot("review")
    page.get_by_role("button", name="Buy").click()

    heading(page, "Your order is placed")
    number = page.locator("#order-number").inner_text()
    page.get_by_role("link", name="Track order").click()
    expect(page).to_have_url(re.compile(rf"/orders/{number}/$"))
    status = page.locator("#timeline-title")
    expect(status).not_to_contain_text("Completed")
    shot("order-page-before")

    # A marker a reload would wipe: the page must change under it, by itself.
    page.evaluate("window.__stillTheSamePage = true")
    try:
        expect(status).to_contain_text("Completed", timeout=COMPLETION_TIMEOUT_MS)
    except AssertionError:
        order = Order.objects.get(reference=number)
        raise AssertionError(
            f"{number} is {order.status} in the database.\n{worker.log()}"
        ) from None
    assert page.evaluate("window.__stillTheSamePage === true"), "the page was reloaded"
    expect(page.locator("#order-timeline")).to_contain_text("completed")
    shot("order-page-provisioned")

    order = Order.objects.get(reference=number)
    assert order.status == "completed"
    assert order.customer == customer and order.po_number == "PO-BROWSER-1"
    assert order.subscriptions.count() == 1
