"""After the order, in a real browser: evidence, the error catalogue, the relationship tracker,
renewals and refund-window reminders on the dashboard.

The orders are sent and completed through the pipeline's own functions against
the in-process simulator (the live server shares this process); time is moved
with time-machine where a page depends on it. The screenshots are the ones
docs/after-the-order.md shows.
"""

import json
import re
import uuid
from contextlib import nullcontext
from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from orders.models import Order, SeatBatch
from orders.pipeline import submission
from orders.services import order_place
from renewals.services import customer_subscriptions_sync
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, order_request
from tests.orders.simulated import plain_products
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import LITWARE, TAILSPIN

from .test_order_journeys import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


@pytest.fixture
def history(transactional_db):
    """Northwind IT with one completed order (Contoso) and one refused for the relationship."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(name="Northwind IT", time_zone="Europe/Berlin")
        nora = UserFactory(reseller=reseller, username="nora", first_name="Nora")
        contoso = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        litware = CustomerFactory(
            reseller=reseller,
            company_name="Litware",
            upstream_customer_id=LITWARE["id"],
            tenant_domain=LITWARE["tenant"],
        )

        def place(customer, **overrides):
            return order_place(
                request=order_request(customer, plain_products(1), **overrides),
                reseller=reseller,
                placed_by=nora,
                idempotency_key=uuid.uuid4(),
                ip_address="203.0.113.7",
                channel=Order.Channel.WIZARD,
            )

        # Refused before Contoso has a tenant of its own: the name is taken upstream.
        taken = place(contoso, microsoft_domain="contoso.onmicrosoft.com")
        submission.order_submit(taken.pk)
        completed = complete_through_simulator(
            place(contoso, microsoft_domain=f"contoso{uuid.uuid4().hex[:6]}.onmicrosoft.com"),
            simulator,
            no_capture,
        )
        refused = place(litware, tenant_preference="existing", microsoft_domain=LITWARE["tenant"])
        submission.order_submit(refused.pk)
        with simulator.client() as client:
            customer_subscriptions_sync(customer=contoso, client=client)
        yield {
            "completed": completed,
            "refused": Order.objects.get(pk=refused.pk),
            "taken": Order.objects.get(pk=taken.pk),
        }


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_evidence_is_downloaded_and_checked(page, live_server, history):
    completed = history["completed"]
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/orders/{completed.reference}/")
    page.get_by_role("link", name="Attestation evidence").click()
    expect(page.get_by_label("Order number")).to_have_value(completed.reference)
    page.get_by_role("radio", name="JSON").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    path = download.value.path()
    records = json.loads(open(path, "rb").read())["evidence"]["attestations"]
    assert {r["kind"] for r in records} >= {"partner_of_record", "customer_agreement", "terms"}

    page.goto(f"{live_server.url}/evidence/")
    page.get_by_label("Evidence file (JSON or PDF)").set_input_files(path)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Intact", exact=True)).to_be_visible()
    page.shots("evidence")


def test_a_relationship_refusal_is_explained_and_watched(page, live_server, history):
    refused = history["refused"]
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/orders/{refused.reference}/")
    expect(
        page.get_by_text("Waiting for Litware to accept the reseller relationship", exact=True)
    ).to_be_visible()
    expect(page.get_by_label("Acceptance link for the customer's Global Admin")).to_have_value(
        re.compile("invType=ResellerRelationship")
    )
    page.shots("relationship-tracker")
    page.get_by_role("link", name="About this error").click()
    expect(page.locator("#error-relationship")).to_be_in_viewport()
    # The whole catalogue is one long page: keep what the link scrolled to.
    page.screenshot(path=str(page.shots.folder / "02-error-catalogue.png"))


def test_renewals_and_closing_windows_show_on_their_pages(page, live_server, history):
    subscription = history["completed"].subscriptions.get()
    batch = SeatBatch.objects.get(subscription=subscription)
    with time_machine.travel(batch.window_ends_at - timedelta(hours=30)):
        sign_in(page, live_server)
        expect(page.get_by_text("Refund windows closing soon")).to_be_visible()
        expect(page.get_by_role("link", name="Cancel the purchase")).to_be_visible()
        page.shots("dashboard-refund-windows")

    renews = datetime.combine(subscription.renewal_date, time(9), tzinfo=UTC)
    with time_machine.travel(renews - timedelta(days=10)):
        sign_in(page, live_server)
        page.get_by_role("link", name="Renewals").click()
        expect(page.get_by_role("cell", name="Contoso")).to_be_visible()
        page.shots("upcoming-renewals")
        page.get_by_role("button", name="Turn off").click()
        expect(page.get_by_text("will end on")).to_be_visible()
    subscription.refresh_from_db()
    assert subscription.auto_renew is False


def test_a_taken_tenant_name_is_corrected_and_resubmitted(page, live_server, history):
    taken = history["taken"]
    assert taken.status == Order.Status.FAILED
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/orders/{taken.reference}/")
    page.get_by_role("link", name="Correct the tenant name and resubmit").click()
    expect(page.locator("#upstream-message")).to_contain_text("not available to purchase")
    expect(page.get_by_label("New tenant name")).to_have_value("contoso")
    page.get_by_label("New tenant name").fill("contoso fresh")
    page.get_by_role("button", name="Correct and resubmit").click()
    expect(page.get_by_label("New tenant name")).to_have_value("contoso fresh")  # kept as typed
    page.shots("fix-refused-value")
    fresh = f"contoso{uuid.uuid4().hex[:8]}"
    page.get_by_label("New tenant name").fill(fresh)
    page.get_by_role("button", name="Correct and resubmit").click()
    expect(page.get_by_text(f"Order {taken.reference} corrected and sent again.")).to_be_visible()
    page.shots("fix-resubmitted")
    taken.refresh_from_db()
    assert taken.status != Order.Status.FAILED
    assert taken.parameters.get(line=None, name="microsoft_domain").value == (
        f"{fresh}.onmicrosoft.com"
    )
