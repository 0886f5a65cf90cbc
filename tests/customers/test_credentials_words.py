"""The credentials and subscription pages address their reader: the reseller reads about
the customer's licences, the end customer about its own."""

import pytest
from django.urls import reverse

from orders.models import Order
from tests.factories import OrderFactory, SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(customer):
    customer.company_name = "Fabrikam Services"
    customer.save(update_fields=["company_name"])
    order = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    return SubscriptionFactory(order=order)


def pages(client, user, subscription):
    client.force_login(user)
    urls = [
        reverse("customers:credentials", args=[subscription.customer.pk]),
        reverse("subscriptions:detail", kwargs={"pk": subscription.pk}),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield response.content.decode()


def test_reseller_staff_read_about_the_customers_licences(client, reseller_user, subscription):
    for page in pages(client, reseller_user, subscription):
        assert "Your licences" not in page
        assert "Fabrikam Services&#x27; licences are in the Microsoft 365 admin center" in page


def test_the_end_customer_reads_about_its_own_licences(client, customer, subscription):
    user = UserFactory(end_customer=True, customer=customer)
    for page in pages(client, user, subscription):
        assert "Your licences are in the Microsoft 365 admin center" in page
        assert "Fabrikam Services&#x27; licences" not in page
