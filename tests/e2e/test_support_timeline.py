"""Support reads an order's upstream exchanges on its live timeline, in a real browser.

The order is sent through the pipeline's own submit function against the
in-process simulator and left ``submitted``, so the page refreshes its timeline
every few seconds while support reads the marketplace's answer.
"""

import pytest
from playwright.sync_api import expect

from customers.models import User
from orders.models import Order
from orders.pipeline import submission
from tests.e2e.test_two_factor import sign_in_with_code
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import place_for
from tests.orders.simulated import plain_products
from tests.simulated import simulated_marketplace, synced_reseller
from tests.two_factor import authenticator
from tests.wizard.simulated import TAILSPIN

from .test_order_journeys import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(transactional_db):
    with simulated_marketplace():
        reseller = synced_reseller(name="Northwind IT")
        nora = UserFactory(reseller=reseller, username="nora")
        customer = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        order = place_for(
            customer,
            plain_products(1),
            placed_by=nora,
            channel=Order.Channel.WIZARD,
            domain_prefix="contoso",
        )
        submission.order_submit(order.pk)  # outside a test transaction: callbacks run at once
        authenticator(UserFactory(support=True, username="sam"))  # support must give a code
        yield Order.objects.get(pk=order.pk)


def sign_in(page, live_server, username):
    if username == "sam":
        sign_in_with_code(page, live_server, User.objects.get(username=username))
        return
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_an_opened_exchange_stays_open_while_the_timeline_refreshes(page, live_server, submitted):
    assert submitted.status == Order.Status.SUBMITTED
    sent = submitted.exchanges.get(operation="create_order")
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/orders/{submitted.reference}/")

    exchange = page.locator(f"#exchange-{sent.pk}")
    expect(exchange).to_contain_text(sent.correlation_id)
    expect(exchange.locator("pre").first).not_to_be_visible()  # collapsed
    exchange.locator("summary").click()
    expect(exchange.get_by_text(submitted.upstream_order_number).first).to_be_visible()
    page.shots("exchange-open")

    with page.expect_response(lambda r: "/timeline/" in r.url, timeout=10_000):
        pass  # the live timeline refreshed around it
    expect(exchange.get_by_text(submitted.upstream_order_number).first).to_be_visible()
    assert exchange.evaluate("element => element.open")


def test_the_reseller_sees_no_exchange_on_the_same_page(page, live_server, submitted):
    sign_in(page, live_server, "nora")
    page.goto(f"{live_server.url}/orders/{submitted.reference}/")

    expect(page.locator("#order-timeline")).to_contain_text("accepted the order")
    expect(page.locator("details.exchange")).to_have_count(0)
