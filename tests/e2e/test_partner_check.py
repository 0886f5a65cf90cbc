"""The partner step in a real browser: "Check now" answering READY replaces the INQUIRING notice."""

import re

import pytest
from playwright.sync_api import expect

from customers.models import Reseller
from tests.factories import CustomerFactory, UserFactory
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import WOODGROVE

from .test_order_journeys import add_plan, heading, press_next, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOT_FOUND = "MPN Id is not found"


@pytest.fixture
def inquiring(transactional_db):
    """Northwind IT, whose last partner check the marketplace answered INQUIRING."""
    with simulated_marketplace():
        reseller = synced_reseller(name="Northwind IT", staff_email_domain="northwind-it.example")
        Reseller.objects.filter(pk=reseller.pk).update(
            tier_status=Reseller.TierStatus.INQUIRING, tier_reason=NOT_FOUND, mpn_id=""
        )
        UserFactory(reseller=reseller, username="nora", first_name="Nora", last_name="Whitfield")
        CustomerFactory(
            reseller=reseller,
            company_name="Woodgrove Bank",
            upstream_customer_id=WOODGROVE["id"],
            tenant_domain=WOODGROVE["tenant"],
        )
        yield reseller


def test_check_now_answering_ready_leaves_no_inquiring_notice(page, live_server, inquiring):
    sign_in(page, live_server)
    add_plan(
        page,
        live_server,
        "Exchange Online (Plan 1)",
        re.compile(r"^Add Exchange Online \(Plan 1\) \(NCE COM ANN\), 1 year, Monthly"),
    )
    expect(page.locator("#cart-badge .cart-badge__count")).to_have_text("1")
    page.goto(f"{live_server.url}/order/")
    press_next(page)
    heading(page, "Customer")
    page.get_by_label("Search your customers").press_sequentially("woodgr", delay=30)
    page.get_by_label(re.compile("Woodgrove Bank")).check()
    press_next(page)

    heading(page, "Partner")
    expect(page.get_by_role("heading", name=re.compile("INQUIRING"))).to_be_visible()
    expect(page.get_by_text(NOT_FOUND)).to_be_visible()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    mpn_id = page.get_by_label(re.compile("MPN ID"))
    page.get_by_label(re.compile("tenant", re.I)).fill("northwindit.onmicrosoft.com")
    # A second INQUIRING answer replaces the first one's reason in the notice, not beside it.
    mpn_id.fill("2222222")
    page.get_by_role("button", name="Check now").click()
    expect(page.locator("#partner-check")).to_contain_text("INQUIRING")
    reason = page.locator("#partner-check").inner_text().replace("INQUIRING", "").strip()
    expect(page.locator("#partner-status")).to_contain_text(reason)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)

    mpn_id.fill("1234567")
    page.get_by_role("button", name="Check now").click()

    expect(page.locator("#partner-check")).to_contain_text("READY")
    expect(
        page.get_by_role("heading", name=re.compile("partner details are confirmed"))
    ).to_be_visible()
    expect(page.get_by_text("INQUIRING")).to_have_count(0)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    assert errors == []
    page.shots("partner-ready-after-check")
