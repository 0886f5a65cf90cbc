"""Co-terming chosen at the wizard's review in a real browser (Chromium).

Woodgrove already holds a Business Basic subscription (bought and completed through the
pipeline's own functions against the in-process simulator; the live server shares this
process). A MANDATORY add-on offers no "own term"; an ALLOWED one offers it beside the
alignment, whose prorated first charge the review shows. The aligned order is sent and
completed, and the test reads back over the simulator's API what reached the marketplace.
"""

import re
import uuid
from contextlib import nullcontext
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import expect

from catalog.models import Product
from catalog.money import format_money
from customers.templatetags.words import day
from orders.coterming import coterm_first_charge
from orders.models import Order
from orders.services import order_place
from renewals.services import customer_subscriptions_sync
from tests.factories import CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, order_request
from tests.simulated import simulated_marketplace, synced_reseller
from tests.simulator.conftest import Api
from tests.wizard.simulated import WOODGROVE

from .test_order_journeys import add_plan, heading, sign_in, walk_to_review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BASIC, EXCHANGE = "CFQ7TTC0LH18:0001", "CFQ7TTC0LH16:0001"
LATER = timedelta(days=10)


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


def annual_monthly(mpn):
    return Product.objects.get(mpn=mpn, term="P1Y", billing_period="P1M", active=True)


@pytest.fixture
def subscribed(transactional_db):
    """Woodgrove (existing tenant, MCA in place) with an active Business Basic subscription
    (one month, billed monthly) bought ten days ago."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(name="Northwind IT")
        nora = UserFactory(reseller=reseller, username="nora", first_name="Nora")
        woodgrove = CustomerFactory(
            reseller=reseller,
            company_name="Woodgrove Bank",
            upstream_customer_id=WOODGROVE["id"],
            tenant_domain=WOODGROVE["tenant"],
            mca_accepted_on="2025-05-01",
        )
        basic = Product.objects.get(mpn=BASIC, term="P1M", billing_period="P1M", active=True)
        order = order_place(
            request=order_request(
                woodgrove,
                [basic],
                tenant_preference="existing",
                microsoft_domain=WOODGROVE["tenant"],
            ),
            reseller=reseller,
            placed_by=nora,
            idempotency_key=uuid.uuid4(),
            ip_address="203.0.113.7",
            channel=Order.Channel.WIZARD,
        )
        completed = complete_through_simulator(order, simulator, no_capture)
        with simulator.client() as client:
            customer_subscriptions_sync(customer=woodgrove, client=client)
        subscription = completed.subscriptions.get()
        assert subscription.renewal_date is not None
        # Days later (the live server, the simulator and this test share the clock): an add-on
        # aligned with the subscription pays part of a month, not a whole one.
        with time_machine.travel(timezone.now() + LATER, tick=True):
            yield simulator, subscription


def test_an_add_on_is_co_termed_with_a_subscription_chosen_at_review(page, live_server, subscribed):
    simulator, basic = subscribed
    with translation.override("en"):
        ends = day(basic.renewal_date)
    aligned_name = re.compile("^" + re.escape(f"With {basic.product.name}: they end on {ends}"))
    cart_count = page.locator("#cart-badge .cart-badge__count")
    sign_in(page, live_server)

    # MANDATORY (Copilot): only alignments; no choice of its own term.
    add_plan(
        page, live_server, "Copilot", re.compile(r"^Add Microsoft 365 Copilot.*1 year, Monthly")
    )
    expect(cart_count).to_have_text("1")
    page.goto(f"{live_server.url}/order/")
    walk_to_review(page)
    ending = page.locator("#coterm")
    expect(ending.get_by_role("radio", name=aligned_name)).to_be_visible()
    expect(ending).not_to_contain_text("On their own term")
    page.shots("mandatory-review")

    # ALLOWED (Exchange Online): its own term first, or aligned with the subscription.
    page.goto(f"{live_server.url}/catalog/cart/")
    page.get_by_role("button", name=re.compile("^Remove Microsoft 365 Copilot")).click()
    expect(page.get_by_role("button", name=re.compile("^Remove"))).to_have_count(0)
    add_plan(
        page,
        live_server,
        "Exchange Online (Plan 1)",
        re.compile(r"^Add Exchange Online \(Plan 1\) \(NCE COM ANN\), 1 year, Monthly"),
    )
    expect(cart_count).to_have_text("1")
    page.goto(f"{live_server.url}/order/cart/")  # the cart changed: confirm it again
    walk_to_review(page)
    own_term = ending.get_by_role("radio", name=re.compile("^On their own term, from today"))
    expect(own_term).to_be_checked()
    aligned = ending.get_by_role("radio", name=aligned_name)
    exchange = annual_monthly(EXCHANGE)
    quantity = exchange.minimum_quantity
    first = coterm_first_charge(
        unit_price=exchange.price,
        quantity=quantity,
        billing_period=exchange.billing_period,
        start=timezone.localdate(),
        end=basic.renewal_date,
    )
    assert 0 < first.first_charge < exchange.price * quantity  # part of a month
    with translation.override("en"):
        shown = format_money(first.first_charge, exchange.currency)
    label = ending.locator("label", has_text=f"With {basic.product.name}: they end on {ends}")
    expect(label).to_contain_text(f"First charge, prorated: {shown}")
    aligned.check()
    page.shots("allowed-review-aligned")
    page.get_by_label(re.compile("I accept the terms of sale")).check()
    page.get_by_role("button", name="Buy").click()

    heading(page, "Your order is placed")
    order = Order.objects.get(reference=page.locator("#order-number").inner_text())
    assert order.coterm_with == basic and not order.coterm_end_of_month
    order = complete_through_simulator(order, simulator, no_capture)
    assert order.status == "completed"

    # What reached the marketplace: the simulator's own record of the order, over its API.
    sent = Api(simulator.app).login().get(f"/orders/{order.upstream_order_id}").json()
    assert sent["alignExpirationDate"] == {
        "alignmentType": "CO_TERM_ON_SUBSCRIPTION",
        "subscriptionId": int(basic.upstream_id),
    }
    assert [(line["mpn"], line["quantity"]) for line in sent["products"]] == [
        (exchange.mpn, quantity)
    ]
    assert Decimal(str(sent["total"]["amount"])) == first.first_charge
    page.goto(f"{live_server.url}/orders/{order.reference}/")
    expect(page.locator("#timeline-title")).to_contain_text("Completed")
    page.shots("aligned-order-completed")
