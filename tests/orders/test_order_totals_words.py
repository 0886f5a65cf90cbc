"""The order page says what its total is for: per month, per year, never "per billing period"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import Order
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db


def order_page(client, user, order):
    client.force_login(user)
    return client.get(
        reverse("orders:detail", kwargs={"reference": order.reference})
    ).content.decode()


def test_lines_billed_alike_show_the_total_per_month(client, reseller_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.PLACED, total=Decimal("30.00"))
    OrderLineFactory(
        order=order, product=ProductFactory(price=Decimal("6.00"), billing_period="P1M")
    )

    page = order_page(client, reseller_user, order)

    assert "Total per month: <strong>30.00 USD</strong>" in page
    assert "per billing period" not in page


def test_lines_billed_differently_are_never_added_together(client, reseller_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.PLACED, total=Decimal("130.00"))
    OrderLineFactory(
        order=order, product=ProductFactory(price=Decimal("6.00"), billing_period="P1M")
    )
    OrderLineFactory(
        order=order, product=ProductFactory(price=Decimal("20.00"), billing_period="P1Y")
    )

    page = order_page(client, reseller_user, order)

    assert "Total: <strong>30.00 USD per month</strong>" in page
    assert "Total: <strong>100.00 USD per year</strong>" in page
    assert "130.00" not in page
