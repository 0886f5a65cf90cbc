"""Every order table shows one total per billing period and currency, and no template comment."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from orders.lifecycle import Actor, order_record
from orders.models import Order
from orders.services.approvals import notify_reseller_of_request
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


def test_an_order_waiting_for_approval_is_totalled_per_period_in_the_queue_and_the_mail(
    client, reseller_user, mixed_order
):
    Order.objects.filter(pk=mixed_order.pk).update(status=Order.Status.AWAITING_APPROVAL)
    client.force_login(reseller_user)

    queue = client.get(reverse("approvals:queue")).content.decode()
    notify_reseller_of_request(mixed_order.pk)

    both = "110.00 USD per month and 96.00 USD per year"
    assert f"Total {both}" in queue and "206.00" not in queue
    (message,) = mail.outbox
    assert both in message.body and "206.00" not in message.body
