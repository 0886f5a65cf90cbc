"""A state-owned entity and a school order in a real browser, and both get provisioned.

Real parts end to end: Debian's chromium (Playwright) on pytest-django's live
server, the simulator as its own process over HTTP, and a real Celery worker
(tests/pipeline's fixtures) that submits and polls the orders. Nothing is faked.
"""

import re

import pytest
from playwright.sync_api import expect

from catalog.sync import catalog_sync
from customers.models import Customer, Reseller
from customers.upstream import client_for
from orders.models import Order
from tests.factories import (
    ContactFactory,
    CustomerFactory,
    MarketplaceConnectionFactory,
    ResellerFactory,
    UserFactory,
)
from tests.pipeline.conftest import (  # noqa: F401 (fixtures)
    require_real_services,
    simulator,
    simulator_process,
    start_worker,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
#: The first order waits for a worker that has just started; then seconds.
PROVISIONED_WITHIN_MS = 60_000


@pytest.fixture
def northwind(simulator, transactional_db, settings):  # noqa: F811
    require_real_services()
    settings.MARKETPLACE_TRANSPORT = None  # the simulator's own process, over HTTP
    reseller = ResellerFactory(
        name="Northwind IT",
        connection=MarketplaceConnectionFactory(base_url=f"{simulator.url}/marketplace/eu"),
        upstream_reseller_id="1000001",
        mpn_id="1234567",
        indirect_reseller_domain="northwindit.onmicrosoft.com",
        tier_status=Reseller.TierStatus.READY,
        staff_email_domain="northwind-it.example",
    )
    catalog_sync(client=client_for(reseller))
    UserFactory(reseller=reseller, username="nora")
    return reseller


@pytest.fixture
def worker(start_worker):  # noqa: F811
    return start_worker()


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("nora")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def press_next(page):
    page.get_by_role("button", name="Next", exact=True).click()


def heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def add_to_cart_and_start(page, live_server, segment, query, plan):
    page.goto(f"{live_server.url}/catalog/?segment={segment}")
    page.get_by_label("Name or MPN").fill(query)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name=re.compile(f"^Add {re.escape(plan)}")).first.click()
    expect(page.locator("#cart-badge .cart-badge__count")).to_have_text("1")
    page.locator("#cart-badge").click()
    heading(page, "Your cart")
    page.get_by_role("link", name="Next: choose the customer").click()
    heading(page, "Cart")
    press_next(page)


def pick_customer(page, name):
    heading(page, "Customer")
    page.get_by_label(re.compile(re.escape(name))).check()
    press_next(page)
    heading(page, "Partner")
    press_next(page)


def buy_and_see_it_provisioned(page, shot):
    page.get_by_label(re.compile("I accept the terms of sale")).check()
    shot("review")
    page.get_by_role("button", name="Buy").click()
    heading(page, "Your order is placed")
    number = page.locator("#order-number").inner_text()
    page.get_by_role("link", name="Track order").click()
    timeline = page.locator("#order-timeline h2")
    expect(timeline).to_contain_text("Completed", timeout=PROVISIONED_WITHIN_MS)
    page.reload()
    subscriptions = page.get_by_role("region", name="Subscriptions")
    expect(subscriptions).to_contain_text("active")
    shot("provisioned")
    return Order.objects.get(reference=number)


def test_a_state_owned_government_body_orders_and_is_provisioned(
    page, live_server, northwind, worker
):
    shot = page.shots
    redmond = CustomerFactory(
        reseller=northwind, company_name="City of Redmond", upstream_customer_id="1000103"
    )
    ContactFactory(customer=redmond, first_name="Rosa", last_name="Diaz")
    sign_in(page, live_server)
    add_to_cart_and_start(page, live_server, "government", "G3", "Office 365 G3 GCC")
    pick_customer(page, "City of Redmond")

    heading(page, "Tenant")
    # Seed 002: a government customer gets a new tenant; no other choice is offered.
    expect(page.get_by_label("Use the customer's existing tenant")).to_have_count(0)
    page.get_by_label("New tenant name").fill("cityofredmondgov")
    press_next(page)
    heading(page, "Attestations")
    page.get_by_label("I accept the Partner of Record attestation above.").check()
    press_next(page)
    heading(page, "Customer agreement")
    page.get_by_label("The customer accepted the Microsoft Customer Agreement").check()
    press_next(page)
    heading(page, "Qualification")
    page.get_by_label("State-owned entity (a company owned by a government)").check()
    shot("qualification")
    press_next(page)
    heading(page, "Review and buy")
    order = buy_and_see_it_provisioned(page, shot)

    params = {p.name: p.value for p in order.parameters.filter(line=None)}
    assert params["special_qualifications"] == "soe"  # seed 004: "None" or "soe"
    redmond.refresh_from_db()
    assert redmond.qualification == Customer.Qualification.STATE_OWNED_ENTITY
    assert redmond.tenant_domain == "cityofredmondgov.onmicrosoft.com"


def test_a_school_orders_education_licences_and_is_provisioned(
    page, live_server, northwind, worker
):
    shot = page.shots
    # Woodgrove's seeded tenant has a relationship and a valid MCA upstream.
    school = CustomerFactory(
        reseller=northwind,
        company_name="Woodgrove High School",
        upstream_customer_id="1000101",
        tenant_domain="woodgrovebank.onmicrosoft.com",
    )
    ContactFactory(customer=school, first_name="Ava", last_name="Reyes")
    sign_in(page, live_server)
    add_to_cart_and_start(page, live_server, "education", "A3", "Microsoft 365 A3 for faculty")
    pick_customer(page, "Woodgrove High School")

    heading(page, "Tenant")
    expect(page.get_by_label("Existing tenant", exact=True)).to_have_value(
        "woodgrovebank.onmicrosoft.com"
    )
    press_next(page)
    heading(page, "Attestations")
    page.get_by_label("I accept the Partner of Record attestation above.").check()
    press_next(page)
    # Seed 001 step 9: the marketplace says the MCA is valid, so nothing is asked about it.
    heading(page, "Qualification")
    page.get_by_label(re.compile("K-12")).check()
    shot("qualification")
    press_next(page)
    heading(page, "Review and buy")
    order = buy_and_see_it_provisioned(page, shot)

    params = {p.name: p.value for p in order.parameters.filter(line=None)}
    assert (params["special_qualifications"], params["education_segment"]) == ("None", "K12")
    school.refresh_from_db()
    assert (school.qualification, school.education_segment) == (
        Customer.Qualification.EDUCATION,
        "K12",
    )
