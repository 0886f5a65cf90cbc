"""Seed 004's company parameters: sent when Microsoft did not validate the company on record.

The simulator is told (its control endpoint) that the customer's company information did not
pass Microsoft's validation; the order, placed and submitted by the product's own code, is
refused; the fix page asks for the company details and the same order goes again with them,
and the simulator accepts it.
"""

import pytest
from django.urls import reverse

from orders.models import Order
from orders.pipeline import submission
from tests.factories import ContactFactory, UserFactory

from .helpers import place_for
from .simulated import SEEDED_CUSTOMER_ID, plain_products

pytestmark = pytest.mark.django_db

COMPANY_PARAMETERS = {
    "effective_address",
    "effective_city",
    "effective_state",
    "effective_postal_code",
    "effective_country",
    "effective_phonenumber",
    "customer_company_name",
    "customer_email",
}
GOOD = {
    "company_name": "27 Rings Jewelers",
    "email": "john@27rings.example",
    "street_address": "1759 Wehrle Dr",
    "city": "Williamsville",
    "state": "NY",
    "postal_code": "14221",
    "country": "US",
    "phone": "(716) 633-3600",
}


@pytest.fixture
def refused(upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks):
    simulator.post(f"customers/{SEEDED_CUSTOMER_ID}/company-validation", {"passed": False})
    ContactFactory(customer=upstream_customer, kind="admin", email="it@27rings.example")
    buyer = UserFactory(reseller=upstream_customer.reseller, email="nora@northwind.example")
    order = place_for(
        upstream_customer,
        plain_products(1),
        placed_by=buyer,
        channel=Order.Channel.WIZARD,
        domain_prefix="rings",
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED
    assert "did not pass Microsoft's validation" in order.failure_message
    order.buyer = buyer
    return order


def fix_url(order):
    return reverse("orders:fix", args=[order.reference])


def sent_parameters(exchange):
    return {p["name"]: p.get("value") for p in exchange.request_body["products"][0]["parameters"]}


def test_company_details_are_asked_for_and_the_same_order_is_accepted_with_them(
    client, refused, simulator, django_capture_on_commit_callbacks
):
    client.force_login(refused.buyer)
    page = client.get(reverse("orders:detail", args=[refused.reference])).content.decode()
    assert fix_url(refused) in page and "Company details" in page

    form = client.get(fix_url(refused))
    assert form.context["form"]["company_name"].value() == refused.customer.company_name
    assert form.context["form"]["email"].value() == "it@27rings.example"

    bad = client.post(fix_url(refused), {**GOOD, "company_name": "LLC", "email": "a@microsoft.com"})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"company_name", "email"}
    assert refused.exchanges.filter(operation="create_order").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(fix_url(refused), GOOD)
    refused.refresh_from_db()
    assert refused.status == Order.Status.PLACED
    amend = refused.events.get(action="amend")
    assert "customer_company_name: (not sent) → 27 Rings Jewelers" in amend.cause

    submission.order_submit(refused.pk)
    refused.refresh_from_db()
    assert refused.status == Order.Status.SUBMITTED
    assert simulator.orders_with(refused.reference) == 1
    first, second = refused.exchanges.filter(operation="create_order").order_by("pk")
    assert not COMPANY_PARAMETERS & set(sent_parameters(first))
    sent = sent_parameters(second)
    assert COMPANY_PARAMETERS <= set(sent)
    assert (sent["customer_company_name"], sent["effective_country"]) == ("27 Rings Jewelers", "US")
    assert sent["effective_phonenumber"] == "+17166333600"


def test_a_customer_whose_company_passed_needs_no_company_details(
    upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order = place_for(
        upstream_customer,
        plain_products(1),
        placed_by=None,
        channel=Order.Channel.WIZARD,
        domain_prefix="rings",
    )
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
