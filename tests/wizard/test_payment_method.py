"""Seed 002: the marketplace charges a credit card unless Terms were set up on request.

How it charges is a setting of the reseller; the review page and the completion e-mail say it.
"""

import pytest
from django.urls import reverse

from customers.models import Reseller
from orders.notifications import notify_completion
from tests.factories import OrderFactory, UserFactory

from .conftest import product
from .journey import agree, attest, choose_tenant, qualify, until_tenant
from .simulated import step_url

pytestmark = pytest.mark.django_db


def review_page(client, buyer, add_to_cart):
    add_to_cart(product())
    until_tenant(client)
    choose_tenant(client, tenant_preference="new", tenant_prefix="paycheck2026")
    attest(client, "agreement")
    agree(client, "qualification")
    qualify(client)
    return client.get(step_url("review")).content.decode()


def test_a_new_reseller_pays_by_credit_card_and_the_review_page_says_so(client, buyer, add_to_cart):
    assert buyer.reseller.payment_method == Reseller.PaymentMethod.CREDIT_CARD

    page = review_page(client, buyer, add_to_cart)

    shown = page.split('id="payment-method"', 1)[1].split("</p>", 1)[0]
    assert "Credit card" in shown and "Terms are set up on request" in shown


def test_a_reseller_on_terms_reads_terms_on_the_review_page(client, buyer, add_to_cart):
    Reseller.objects.filter(pk=buyer.reseller_id).update(
        payment_method=Reseller.PaymentMethod.TERMS
    )

    page = review_page(client, buyer, add_to_cart)

    shown = page.split('id="payment-method"', 1)[1].split("</p>", 1)[0]
    assert "Marketplace Terms" in shown and "Credit card" not in shown


@pytest.mark.parametrize(
    ("method", "words"),
    [("credit_card", "Payment: Credit card."), ("terms", "Payment: Marketplace Terms.")],
)
def test_the_completion_mail_says_how_the_order_is_paid(customer, mailoutbox, method, words):
    Reseller.objects.filter(pk=customer.reseller_id).update(payment_method=method)
    staff = UserFactory(reseller=customer.reseller, email="nora@northwind.example")
    order = OrderFactory(customer=customer, status="completed", placed_by=staff)

    notify_completion(order.pk)

    assert mailoutbox and words in mailoutbox[0].body


def test_the_partner_profile_shows_the_payment_method(client, buyer):
    page = client.get(reverse("customers:partner")).content.decode()

    shown = page.split('id="payment"', 1)[1].split("</section>", 1)[0]
    assert "Credit card" in shown and "Terms are set up on request" in shown
