"""The order list and an order's page read nothing twice in one request (issue 14)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from tests.factories import (
    OrderFactory,
    ProductFactory,
    purchased_line,
)
from tests.query_audit import AuditedClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def audited(reseller_user):
    client = AuditedClient()
    client.force_login(reseller_user)
    return client


def _completed(reseller, lines=2):
    order = OrderFactory(customer__reseller=reseller, status=Order.Status.COMPLETED)
    now = timezone.now()
    for _ in range(lines):
        product = ProductFactory(price=Decimal("12.00"), minimum_quantity=1)
        purchased_line(order, product, seats=4, purchased_at=now)
    return order


def test_order_list_and_pages_repeat_no_query(audited, reseller):
    orders = [_completed(reseller) for _ in range(3)]
    failed = OrderFactory(customer__reseller=reseller, status=Order.Status.FAILED)
    placed = OrderFactory(customer__reseller=reseller, status=Order.Status.PLACED)

    for params in ({}, {"status": "failed"}, {"q": orders[0].reference}):
        assert audited.get(reverse("orders:list"), params).status_code == 200
    for order in [*orders, failed, placed]:
        page = audited.get(reverse("orders:detail", kwargs={"reference": order.reference}))
        assert page.status_code == 200
    timeline = audited.get(reverse("orders:timeline", kwargs={"reference": placed.reference}))

    assert timeline.status_code == 200
    assert len(audited.audited) == 9
