"""The confirmation page says who can cancel the order: only what is true for the reader."""

import pytest
from django.urls import reverse

from orders.models import Order
from tests.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db

ASK = "ask {reseller} to cancel it for you"
YOU_CAN = "You can cancel it within 7 days"


@pytest.fixture
def order(customer):
    customer.reseller.self_service_enabled = True
    customer.reseller.save(update_fields=["self_service_enabled"])
    return OrderFactory(customer=customer, status=Order.Status.PLACED)


def confirmation(client, user, order):
    client.force_login(user)
    response = client.get(reverse("wizard:confirmation", args=[order.reference]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("allowed", [True, False])
def test_a_self_service_customer_is_told_what_its_reseller_allows(client, customer, order, allowed):
    reseller = customer.reseller
    reseller.self_service_cancel_allowed = allowed
    reseller.save(update_fields=["self_service_cancel_allowed"])

    page = confirmation(client, UserFactory(end_customer=True, customer=customer), order)

    assert (YOU_CAN in page) is allowed
    assert (ASK.format(reseller=reseller.name) in page) is not allowed


def test_reseller_staff_can_always_cancel_in_the_window(client, reseller_user, customer, order):
    customer.reseller.self_service_cancel_allowed = False
    customer.reseller.save(update_fields=["self_service_cancel_allowed"])

    page = confirmation(client, reseller_user, order)

    assert YOU_CAN in page and "ask " not in page
