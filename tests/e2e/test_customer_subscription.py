"""An end customer opens its subscription, checks its partner roles and cancels, in a real browser.

The order is completed through the pipeline's own functions against the
in-process simulator (the live server shares this process); the customer's
Global Admin withdrawing the relationship is played on the simulator's control
endpoint. The cancellation goes through the same submit and poll path.
"""

import re
import uuid
from binascii import unhexlify
from contextlib import nullcontext

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from playwright.sync_api import expect

from catalog.models import Product
from customers.models import CredentialView
from customers.two_factor import secret_hex
from orders.models import Order
from orders.services import order_place
from relationships.models import PartnerRolesCheck
from relationships.partner_roles import throttle_key
from tests.factories import ContactFactory, CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, order_request
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import TAILSPIN

from .test_order_journeys import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


@pytest.fixture
def published(monkeypatch):
    """Record what would go to Celery; the test drives the pipeline itself."""
    calls = []
    monkeypatch.setattr(
        "orders.dispatch._publish",
        lambda task_name, order_id, countdown: calls.append((task_name, order_id)),
    )
    return calls


@pytest.fixture
def contoso(transactional_db, published):
    """Contoso, a self-service customer of Northwind IT, with one order completed."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(
            name="Northwind IT", self_service_enabled=True, self_service_cancel_allowed=True
        )
        UserFactory(reseller=reseller, username="nora", email="nora@northwind.example")
        customer = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        ContactFactory(customer=customer, email="it@contoso.example")
        user = UserFactory(end_customer=True, customer=customer, username="ava")
        product = Product.objects.filter(
            active=True,
            segment="commercial",
            offer_attestation_required=False,
            term="P1Y",
            billing_period="P1Y",
        ).first()
        order = order_place(
            request=order_request(
                customer,
                [product],
                microsoft_domain=f"contoso{uuid.uuid4().hex[:6]}.onmicrosoft.com",
            ),
            reseller=reseller,
            placed_by=user,
            idempotency_key=uuid.uuid4(),
            ip_address="203.0.113.7",
            channel=Order.Channel.SELF_SERVICE,
        )
        yield simulator, complete_through_simulator(order, simulator, no_capture)


def test_the_customer_checks_partner_roles_and_cancels(page, live_server, contoso, published):
    simulator, order = contoso
    subscription = order.subscriptions.get()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ava")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name=subscription.product.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(subscription.product.name)
    expect(page.get_by_text("1 year, billed annually")).to_be_visible()
    expect(page.get_by_text(subscription.tenant_domain).first).to_be_visible()
    expect(page.get_by_role("link", name="Open the Microsoft 365 admin center")).to_have_attribute(
        "href", "https://admin.microsoft.com"
    )
    page.shots("subscription")
    subscription_url = page.url

    # Showing a stored password asks for a code: ava has no authenticator yet, so she sets
    # one up (the key from the page, as her app would read it) and comes back to press again.
    view_password = f"View password of admin@{subscription.tenant_domain}"
    page.get_by_role("button", name=view_password).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    key = page.locator(".secret-key").inner_text()
    page.locator("input[name=code]").fill(f"{totp(unhexlify(secret_hex(key))):06d}")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    page.goto(subscription_url)
    page.get_by_role("button", name=view_password).click()
    expect(page.get_by_label(f"Password of admin@{subscription.tenant_domain}")).not_to_be_empty()
    page.shots("view-password")
    assert CredentialView.objects.filter(viewer__username="ava", viewer_role="customer").exists()

    page.get_by_role("button", name="Approved Partner Roles").click()
    expect(page.get_by_text("Nothing is waiting for approval.")).to_be_visible()

    simulator.post(f"tenants/{subscription.tenant_domain}/relationship", {"accepted": False})
    page.get_by_role("button", name="Approved Partner Roles").click()
    # Pressed again at once: the last result, not a new call to the marketplace.
    expect(page.get_by_text(re.compile(r"checked less than 30 seconds ago"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Last result .*No partner roles are waiting"))
    ).to_be_visible()
    page.shots("partner-roles-too-soon")
    assert PartnerRolesCheck.objects.count() == 1

    cache.delete(throttle_key(subscription.customer_id))  # the 30 seconds have passed
    page.get_by_role("button", name="Approved Partner Roles").click()
    expect(page.get_by_text("Your approval is needed", exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name="Approve on the Microsoft admin portal")
    ).to_have_attribute(
        "href", re.compile(r"invType=ResellerRelationship&partnerId=[0-9a-f-]{36}&")
    )
    page.shots("partner-roles-pending")

    page.get_by_role("link", name="Cancel…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cancel order {order.reference}?")
    page.shots("cancel-confirm")
    page.get_by_role("button", name="Cancel the subscriptions").click()
    expect(page.get_by_text(re.compile(r"^Cancellation placed"))).to_be_visible()
    page.shots("cancellation-placed")

    cancellation = order.follow_ups.get()
    assert (cancellation.channel, cancellation.placed_by.username) == ("self_service", "ava")
    assert ("orders.submit_order", cancellation.pk) in published
    complete_through_simulator(cancellation, simulator, no_capture)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    page.reload()
    expect(page.get_by_text("Cancelled", exact=True).first).to_be_visible()
