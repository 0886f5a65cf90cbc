"""Words a reseller reads on order, error and subscription pages: true, and addressed to them."""

import pytest
from django.urls import reverse

from orders.lifecycle import Actor, order_record
from orders.models import Order
from tests.factories import OrderFactory, SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_order_page_names_the_person_who_placed_it_not_a_username(client, customer):
    nora = UserFactory(
        reseller=customer.reseller, username="reseller", first_name="Nora", last_name="Whitfield"
    )
    order = OrderFactory(customer=customer, placed_by=nora, status=Order.Status.PLACED)
    order_record(order, "note", actor=Actor.RESELLER, actor_user=nora, cause="Looked at it.")
    client.force_login(nora)

    page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))

    text = page.content.decode()
    assert "by Nora Whitfield" in text and "by reseller" not in text
    assert "(Reseller: Nora Whitfield)" in text


def test_the_error_catalogue_cites_its_sources_to_support_only(client, reseller_user, support_user):
    url = reverse("errors:catalogue")

    client.force_login(reseller_user)
    reseller_page = client.get(url).content.decode()
    client.force_login(support_user)
    support_page = client.get(url).content.decode()

    assert "README" not in reseller_page and "Documented in" not in reseller_page
    assert "upstream README §2.4" in support_page


def test_the_reseller_reads_the_partner_roles_section_addressed_to_itself(client, customer):
    subscription = SubscriptionFactory(order__customer=customer, customer=customer)
    url = reverse("subscriptions:detail", kwargs={"pk": subscription.pk})

    client.force_login(UserFactory(reseller=customer.reseller))
    reseller_page = client.get(url).content.decode()
    client.force_login(UserFactory(end_customer=True, customer=customer))
    customer_page = client.get(url).content.decode()

    assert "Your provider manages your subscriptions" not in reseller_page
    assert f"You manage {customer.company_name}" in reseller_page
    assert "Your provider manages your subscriptions" in customer_page
