"""Support reads an order's history in one place: events and upstream requests, by time,
each request with its correlation id, each event with its move and its own id if it has one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.lifecycle import order_record
from orders.models import Order, OrderEvent, UpstreamExchange
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_the_support_page_has_one_history_with_every_correlation_id(client, support_user, customer):
    order = OrderFactory(customer=customer, status=Order.Status.SUBMITTED)
    UpstreamExchange.objects.create(
        order=order,
        operation="get_order",
        method="GET",
        path="orders/1",
        status_code=200,
        correlation_id="a8n-from-the-exchange",
        started_at=timezone.now() - timedelta(seconds=1),
    )
    order_record(
        order,
        "upstream_status",
        actor=OrderEvent.Actor.UPSTREAM,
        cause="Upstream status processing (LO).",
        correlation_id="a8n-on-the-event",
    )
    client.force_login(support_user)

    page = client.get(reverse("support:order", kwargs={"reference": order.reference}))

    html = page.content.decode()
    assert ">History</h2>" not in html and ">Correlation id</th>" not in html
    timeline = html.split('id="order-timeline"', 1)[1].split("</section>", 1)[0]
    assert "a8n-from-the-exchange" in timeline
    assert "submitted → submitted (upstream_status) · correlation id a8n-on-the-event" in timeline
    assert html.count("a8n-on-the-event") == 1
