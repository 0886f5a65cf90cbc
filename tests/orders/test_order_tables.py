"""Every order table shows one total per billing period and currency, and no template comment."""

from decimal import Decimal

import pytest
from django.urls import reverse

from orders.lifecycle import Actor, order_record
from orders.models import Order
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_order(customer):
    """110.00 USD per month and 96.00 USD per year: 206.00 of nothing."""
    order = OrderFactory(
        customer=customer,
        status=Order.Status.PLACED,
        channel=Order.Channel.SELF_SERVICE,
        total=Decimal("206.00"),
    )
    OrderLineFactory(
        order=order,
        product=ProductFactory(billing_period="P1M"),
        billing_period="P1M",
        quantity=10,
        unit_price=Decimal("11.00"),
    )
    OrderLineFactory(
        order=order,
        product=ProductFactory(billing_period="P1Y"),
        billing_period="P1Y",
        quantity=4,
        unit_price=Decimal("24.00"),
    )
    return order


def pages_with_order_tables(order):
    customer = order.customer
    parent = OrderFactory(customer=customer, status=Order.Status.COMPLETED)
    Order.objects.filter(pk=order.pk).update(parent=parent)
    customer.reseller.self_service_approval_required = True
    customer.reseller.save(update_fields=["self_service_approval_required"])
    order_record(order, "approve", actor=Actor.RESELLER, cause="Approved.")
    return {
        "dashboard": reverse("home"),
        "order list": reverse("orders:list"),
        "customer page": reverse("customers:detail", kwargs={"pk": customer.pk}),
        "approvals": reverse("approvals:queue"),
        "changes of the parent order": reverse(
            "orders:detail", kwargs={"reference": parent.reference}
        ),
    }


def test_order_tables_never_add_billing_periods_together(client, reseller_user, mixed_order):
    client.force_login(reseller_user)

    for name, url in pages_with_order_tables(mixed_order).items():
        response = client.get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert mixed_order.reference in page, name
        assert "110.00 USD per month" in page, name
        assert "96.00 USD per year" in page, name
        assert "206.00" not in page, name


def test_order_tables_print_no_template_comment(client, reseller_user, mixed_order):
    client.force_login(reseller_user)

    for name, url in pages_with_order_tables(mixed_order).items():
        page = client.get(url).content.decode()
        assert mixed_order.reference in page, name
        # A two-line {# #} comment is not a comment to Django: it prints as text.
        assert "{#" not in page and "#}" not in page, name
