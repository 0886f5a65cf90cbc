"""A session that ends mid-wizard: the next sign-in finds the wizard where it stopped.

The simulator is served in-process (tests/simulated.py); the session limits,
the sign-in and the draft storage are the real ones, with time moved by
time-machine instead of waited for.
"""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from customers.two_factor import is_enrolled
from orders.models import Order
from tests.two_factor import authenticator, next_code
from wizard.models import WizardDraft

from .conftest import product
from .journey import attest, buy, choose_tenant, follow, qualify, until_tenant

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def sign_in(client, user):
    """Sign in through the pages: the password, then the code if ``user`` is enrolled.

    The buyer is (``force_login`` enrols whom it signs in); the end customer is not.
    """
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    if is_enrolled(user):
        assert response["Location"].startswith(reverse("two_factor_verify"))
        code = next_code(authenticator(user))
        response = client.post(reverse("two_factor_verify"), {"code": code})
        assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_a_relogin_resumes_the_wizard_with_its_data_and_its_order_key(
    client, buyer, add_to_cart, woodgrove, traveller
):
    client.logout()
    sign_in(client, buyer)
    add_to_cart(product(), 2)
    tenant = until_tenant(client, woodgrove)
    order_key = tenant.context["order_key"]

    traveller.shift(timedelta(minutes=31))
    expired = client.get(reverse("wizard:step", args=["tenant"]))
    assert expired.status_code == 302 and expired["Location"].startswith(reverse("login"))

    sign_in(client, buyer)
    resumed = client.get(reverse("wizard:start"))
    page = follow(client, resumed, "tenant")
    assert page.context["customer"] == woodgrove
    assert page.context["order_key"] == order_key
    assert [item["name"] for item in page.context["progress"] if item["done"]] == [
        "cart",
        "customer",
        "partner",
    ]

    choose_tenant(client, tenant_preference="existing", existing_tenant=woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client)
    order = buy(client)

    assert order.idempotency_key == order_key and order.customer == woodgrove
    assert not WizardDraft.objects.filter(user=buyer, data__step_data__has_key="tenant").exists()


def test_a_draft_of_an_order_already_placed_is_not_resumed(
    client, buyer, add_to_cart, woodgrove, traveller
):
    add_to_cart(product(), 2)
    tenant = until_tenant(client, woodgrove)
    order_key = tenant.context["order_key"]
    choose_tenant(client, tenant_preference="existing", existing_tenant=woodgrove.tenant_domain)
    attest(client, "qualification")
    qualify(client)
    draft = WizardDraft.objects.get(user=buyer)
    kept = dict(draft.data)
    order = buy(client)
    assert order.idempotency_key == order_key
    # As if the worker had stopped between placing the order and clearing the draft.
    WizardDraft.objects.update_or_create(user=buyer, wizard=draft.wizard, defaults={"data": kept})

    add_to_cart(product(), 3)
    fresh = client.get(reverse("wizard:start"))
    page = follow(client, fresh, "cart")
    assert page.context["order_key"] != order_key
    assert Order.objects.count() == 1


def test_each_user_has_their_own_draft(client, buyer, add_to_cart, woodgrove, northwind):
    from tests.factories import UserFactory

    add_to_cart(product(), 2)
    until_tenant(client, woodgrove)
    colleague = UserFactory(reseller=northwind, username="olga")
    client.force_login(colleague)

    response = client.get(reverse("wizard:start"))
    assert response["Location"] == reverse("wizard:step", args=["cart"])


def test_the_self_service_wizard_resumes_too(client, northwind, traveller):
    from tests.factories import CustomerFactory, UserFactory

    from .simulated import SELF_SERVICE, WOODGROVE

    northwind.self_service_enabled = True
    northwind.save(update_fields=["self_service_enabled"])
    customer = CustomerFactory(
        reseller=northwind,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
    )
    user = UserFactory(end_customer=True, customer=customer, username="grace")
    sign_in(client, user)
    client.post(reverse("catalog:cart_add", args=[product().pk]))
    cart = client.get(client.get(reverse("wizard:self_service"))["Location"])
    signature = cart.context["wizard"]["form"].current_signature
    moved = SELF_SERVICE.post_step(client, "cart", {"lines": signature})
    stopped_at = moved["Location"]
    assert stopped_at != SELF_SERVICE.step_url("cart")

    traveller.shift(timedelta(hours=12))  # the absolute limit this time
    assert client.get(stopped_at)["Location"].startswith(reverse("login"))
    sign_in(client, user)

    assert client.get(reverse("wizard:self_service"))["Location"] == stopped_at


def test_another_resellers_order_under_the_same_key_does_not_end_the_draft(
    client, buyer, add_to_cart, woodgrove
):
    """Order keys are unique per reseller: a foreign order with this key is not this draft's."""
    from uuid import UUID

    from tests.factories import OrderFactory

    add_to_cart(product(), 2)
    tenant = until_tenant(client, woodgrove)
    order_key = tenant.context["order_key"]
    foreign = OrderFactory(idempotency_key=UUID(str(order_key)))
    assert foreign.reseller != buyer.reseller

    page = follow(client, client.get(reverse("wizard:start")), "tenant")
    assert page.context["order_key"] == order_key
    assert foreign.reference not in page.content.decode()
