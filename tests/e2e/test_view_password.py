"""View password in a real browser: the reseller reveals a new tenant's temporary password.

The order is placed and completed through the pipeline's own functions against the
in-process simulator (the live server shares this process); the password shown must be
the one the simulator gave the tenant's first admin, and the view is recorded.
"""

import uuid
from contextlib import nullcontext

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from customers.models import Credential, CredentialView
from customers.two_factor import secret_hex
from orders.models import Order
from orders.services import order_place
from tests.factories import ContactFactory, CustomerFactory, UserFactory
from tests.orders.helpers import complete_through_simulator, order_request
from tests.orders.simulated import plain_products
from tests.simulated import simulated_marketplace, synced_reseller
from tests.wizard.simulated import TAILSPIN

from .test_after_the_order import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def no_capture(execute=True):
    return nullcontext()  # outside a test transaction, on_commit callbacks run at once


@pytest.fixture
def new_tenant(transactional_db):
    """Northwind IT's customer Contoso, whose first order created a new tenant."""
    with simulated_marketplace() as simulator:
        reseller = synced_reseller(name="Northwind IT")
        nora = UserFactory(reseller=reseller, username="nora", first_name="Nora")
        contoso = CustomerFactory(
            reseller=reseller, company_name="Contoso", upstream_customer_id=TAILSPIN["id"]
        )
        ContactFactory(customer=contoso, email="it@contoso.example")
        domain = f"contoso{uuid.uuid4().hex[:6]}.onmicrosoft.com"
        order = order_place(
            request=order_request(contoso, plain_products(1), microsoft_domain=domain),
            reseller=reseller,
            placed_by=nora,
            idempotency_key=uuid.uuid4(),
            ip_address="203.0.113.7",
            channel=Order.Channel.WIZARD,
        )
        complete_through_simulator(order, simulator, no_capture)
        held = simulator.control.get(f"/_simulator/tenants/{domain}").json()
        yield {"customer": contoso, "nora": nora, "held": held}


def test_the_reseller_clicks_view_password_and_sees_it(page, live_server, new_tenant):
    customer, held = new_tenant["customer"], new_tenant["held"]
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/customers/{customer.pk}/")
    expect(page.get_by_text(held["adminLogin"]).first).to_be_visible()
    expect(page.get_by_text(held["temporaryPassword"])).to_have_count(0)
    page.shots("credentials-hidden")

    page.get_by_role("button", name=f"View password of {held['adminLogin']}").click()
    # A password is shown only to whoever gave a code in this session (the step-up); Nora
    # signed in with her password alone (Northwind IT does not ask for codes), so she sets
    # up an authenticator first, from the key the page shows, and comes back.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    key = page.locator("code.secret-key").inner_text()
    page.get_by_role("textbox", name="Code").fill(f"{totp(bytes.fromhex(secret_hex(key))):06d}")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("button", name=f"View password of {held['adminLogin']}").click()

    expect(page.get_by_label(f"Password of {held['adminLogin']}")).to_have_text(
        held["temporaryPassword"]
    )
    expect(page.get_by_role("cell", name="Nora (Reseller staff)")).to_be_visible()
    page.shots("credentials-revealed")
    view = CredentialView.objects.get()
    assert view.viewer == new_tenant["nora"]
    assert view.credential.kind == Credential.Kind.TENANT_ADMIN
