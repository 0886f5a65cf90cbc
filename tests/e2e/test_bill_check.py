"""A reseller watches its bill being checked and marks the mismatch found explained, in Chromium.

The order is completed through the product's own pipeline against the in-process simulator
(the live server shares this process); a scripted fault bills one line twice. The report is
polled as the worker would, while the check's page is open and refreshing itself.
"""

from contextlib import nullcontext

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from billing.models import BillCheck, Mismatch
from billing.services import bill_check_start
from billing.tasks import poll_check
from orders.models import Order
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
def billed_twice(transactional_db):
    """Northwind IT's completed order; the marketplace's report bills its purchase twice."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(name="Northwind IT")
        nora = UserFactory(reseller=reseller, username="nora", first_name="Nora")
        contoso = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        order = place_for(contoso, plain_products(1), placed_by=nora, channel=Order.Channel.WIZARD)
        order = complete_through_simulator(order, simulator, no_capture)
        subscription = order.subscriptions.get()
        simulator.post(
            "report-faults", {"kind": "duplicate", "subscriptionId": subscription.upstream_id}
        )
        today = timezone.now().date()
        check = BillCheck.objects.create(
            reseller=reseller, period_start=today, period_end=today, requested_by=nora
        )
        yield simulator, bill_check_start(check=check), subscription


def test_a_mismatch_found_in_the_bill_is_marked_explained_with_a_note(
    page, live_server, billed_twice
):
    simulator, check, subscription = billed_twice
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/billing/")
    page.locator(f'a[href="/billing/checks/{check.pk}/"]').click()
    status = page.locator("#check-status")
    expect(status).to_contain_text("Report being generated")

    simulator.advance(30)
    poll_check(check.pk)  # as the worker would, while the page is open

    expect(page.get_by_text("Billed but never ordered here")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("billed twice")).to_be_visible()
    row = page.locator("tr", has_text=subscription.upstream_id)
    row.get_by_label("What explains it").fill("Duplicate line; credit note requested from Ingram.")
    page.shots("mismatch-to-explain")
    row.get_by_role("button", name="Mark explained").click()

    expect(page.get_by_text("The mismatch is marked explained.")).to_be_visible()
    expect(row).to_contain_text("Duplicate line; credit note requested from Ingram.")
    expect(row).to_contain_text("Nora")
    mismatch = Mismatch.objects.get(bill_check=check)
    assert mismatch.explained_by.username == "nora" and mismatch.explained_at is not None
    page.shots("mismatch-explained")
