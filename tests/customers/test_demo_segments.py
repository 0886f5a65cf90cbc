"""The demo's education and nonprofit customers can order as loaded: each brings its own
tenant (Microsoft verifies them; no new tenant is created for them), and the wizard prefills
what their record knows. Walked with the test client against the in-process simulator, with
the demo data load_demo made."""

import io

import pytest
from django.core.management import call_command

from catalog.models import Cart, CartLine, Product, Segment
from customers.models import Customer, User
from tests.wizard.journey import (
    AGREEMENT,
    PARTNER,
    attest,
    follow,
    place,
    start,
)
from tests.wizard.simulated import post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(simulator, client):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    client.force_login(User.objects.get(username="reseller"))


def fill_cart(segment):
    product = (
        Product.objects.active()
        .filter(segment=segment, offer_attestation_required=False)
        .order_by("pk")
        .first()
    )
    cart, _ = Cart.objects.get_or_create(user=User.objects.get(username="reseller"))
    CartLine.objects.create(cart=cart, product=product, quantity=max(product.minimum_quantity, 1))


def walk_to_tenant(client, company):
    customer = Customer.objects.get(company_name=company)
    follow(client, start(client), "customer")
    follow(
        client,
        post_step(client, "customer", {"mode": "existing", "customer": customer.pk}),
        "partner",
    )
    return customer, follow(client, post_step(client, "partner", PARTNER), "tenant")


def test_the_demo_k12_school_orders_on_its_own_tenant_with_its_segment_prefilled(demo, client):
    fill_cart(Segment.EDUCATION)
    school, tenant = walk_to_tenant(client, "Fourth Coffee Academy")

    form = tenant.context["wizard"]["form"]
    assert form["tenant_preference"].value() == "existing"
    assert form["existing_tenant"].value() == "fourthcoffeeacademy.onmicrosoft.com"
    step = follow(
        client,
        post_step(
            client,
            "tenant",
            {"tenant_preference": "existing", "existing_tenant": school.tenant_domain},
        ),
        "attestation",
    )
    qualification = attest(client, "qualification")  # the school's MCA is in place upstream
    assert qualification.context["wizard"]["form"]["education_segment"].value() == "K12"
    assert step.status_code == 200

    follow(
        client,
        post_step(client, "qualification", {"education_segment": "K12"}),
        "review",
    )
    order = place(client, "PO-SCHOOL")[1].context["order"]
    assert order.customer == school
    params = dict(order.parameters.filter(line=None).values_list("name", "value"))
    assert params["tenant_preference"] == "existing"
    assert params["microsoft_domain"] == "fourthcoffeeacademy.onmicrosoft.com"


def test_the_demo_nonprofit_orders_on_its_own_tenant(demo, client):
    fill_cart(Segment.NONPROFIT)
    charity, tenant = walk_to_tenant(client, "Lamna Healthcare Foundation")

    assert tenant.context["wizard"]["form"]["existing_tenant"].value() == (
        "lamnafoundation.onmicrosoft.com"
    )
    follow(
        client,
        post_step(
            client,
            "tenant",
            {"tenant_preference": "existing", "existing_tenant": charity.tenant_domain},
        ),
        "attestation",
    )
    attest(client, "agreement")  # its MCA is still to be accepted
    follow(client, post_step(client, "agreement", AGREEMENT), "qualification")
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    order = place(client, "PO-CHARITY")[1].context["order"]
    assert order.customer == charity
