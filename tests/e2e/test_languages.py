"""In a real browser: the header's language switcher, mid-wizard and on the review page in German.

The wizard is walked to the step under test with the test client (the other browser tests
walk it by hand); the browser gets that session and takes over from there, switching the
language with the header's form as a person does (no JavaScript needed for it).
"""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from catalog.models import Cart
from tests.factories import CartLineFactory, UserFactory
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.conftest import product
from tests.wizard.journey import TODAY, agree, attest, choose_tenant, qualify, until_tenant
from tests.wizard.simulated import RESELLER

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: Written out here, not taken from Django's catalogue: what a German reader expects.
GERMAN_MONTHS = (
    "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split()
)


@pytest.fixture
def nora(transactional_db):
    """Northwind IT's Nora, with 60 seats of a plan in her cart (a price above 1,000)."""
    with simulated_marketplace():
        northwind = synced_reseller(name="Northwind IT", staff_email_domain="northwind-it.example")
        user = UserFactory(reseller=northwind, username="nora")
        plan = product(price__gte=20)
        cart, _ = Cart.objects.get_or_create(user=user)
        CartLineFactory(cart=cart, product=plan, quantity=max(plan.minimum_quantity, 60))
        yield user


def in_browser(page, live_server, client, path):
    """Give the browser ``client``'s session and open ``path``."""
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + path)


def switch_language(page, name):
    """Choose ``name`` in the header's language menu, as a person does."""
    page.locator(".language-menu__toggle").click()
    page.get_by_role("button", name=name, exact=True).click()


def test_switching_language_mid_wizard_keeps_the_draft(page, live_server, nora):
    client = Client()
    client.force_login(nora)
    until_tenant(client)  # a new customer, Fourth Coffee Roasters, typed on the customer step
    tenant_url = RESELLER.step_url("tenant")
    in_browser(page, live_server, client, tenant_url)
    expect(page.get_by_role("button", name="Next", exact=True)).to_be_visible()

    switch_language(page, "Deutsch")

    assert page.url == live_server.url + tenant_url  # back on the same step
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("button", name="Weiter", exact=True)).to_be_visible()
    expect(page.locator(".summary")).to_contain_text("Fourth Coffee Roasters")
    page.shots("tenant-in-german")
    nora.refresh_from_db()
    assert nora.language == "de"  # remembered on the account, not only in this browser

    page.get_by_role("button", name="Zurück", exact=True).click()  # to the partner step
    page.get_by_role("button", name="Zurück", exact=True).click()  # to the customer step
    # The new customer was created on its step: the draft holds it as picked.
    customer = page.get_by_role("radio", name=re.compile("Fourth Coffee Roasters"))
    expect(customer).to_be_checked()
    page.shots("customer-still-typed")

    switch_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(customer).to_be_checked()
    page.get_by_role("button", name="Next", exact=True).click()
    expect(page.locator("#step-heading")).to_have_text("Partner")


def test_the_review_page_in_german_writes_numbers_and_dates_the_german_way(page, live_server, nora):
    client = Client()
    client.force_login(nora)
    until_tenant(client)
    choose_tenant(client, tenant_preference="new", tenant_prefix="germanformats2026")
    attest(client, "agreement")
    agree(client, "qualification")  # accepted today: the review shows the date
    qualify(client)
    line = Cart.objects.get(user=nora).lines.get()
    review_url = RESELLER.step_url("review")
    in_browser(page, live_server, client, review_url)

    switch_language(page, "Deutsch")

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", name="Pläne")).to_be_visible()
    expect(page.get_by_role("button", name="Kaufen")).to_be_visible()
    # 60 seats cost more than a thousand: a dot groups the thousands, a comma before the cents.
    line_price = f"{line.line_price:.2f}"
    whole, cents = line_price.split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    expected = f"{grouped},{cents} {line.product.currency}"
    assert int(whole) >= 1000
    table = page.locator("table.data-table")
    expect(table).to_contain_text(expected)
    expect(table).not_to_contain_text(re.compile(r"\d,\d{3}\.\d{2}"))  # no English figure
    german_day = f"{TODAY.day}. {GERMAN_MONTHS[TODAY.month - 1]} {TODAY.year}"
    expect(page.locator(".review")).to_contain_text(f"am {german_day}")
    page.shots("review-in-german")
