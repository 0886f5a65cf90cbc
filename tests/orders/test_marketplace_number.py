"""Seed 002 step 16: once the marketplace has the order, its order number (SO…) shows beside ours.

The order goes through the pipeline's own submit into the in-process simulator, which
gives the number; the confirmation page, the order page and the fragment both refresh
show it from then on.
"""

import uuid

import pytest
from django.urls import reverse

from orders.models import Order
from orders.pipeline import submission
from orders.services import order_place
from tests.factories import UserFactory

from .helpers import order_request
from .simulated import plain_products

pytestmark = pytest.mark.django_db


def pages(client, order):
    return {
        name: client.get(reverse(url, args=[order.reference])).content.decode()
        for name, url in [
            ("confirmation", "wizard:confirmation"),
            ("order", "orders:detail"),
            ("fragment", "orders:numbers"),
        ]
    }


def test_the_marketplace_order_number_shows_beside_ours_as_soon_as_it_is_known(
    client, upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    buyer = UserFactory(reseller=upstream_customer.reseller)
    order = order_place(
        request=order_request(
            upstream_customer,
            plain_products(1),
            microsoft_domain=f"litware{uuid.uuid4().hex[:8]}.onmicrosoft.com",
        ),
        reseller=upstream_customer.reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel=Order.Channel.WIZARD,
    )
    client.force_login(buyer)
    for name, page in pages(client, order).items():
        assert order.reference in page, name
        assert "once it has accepted the order" in page, name
        assert 'hx-get="' + reverse("orders:numbers", args=[order.reference]) in page, name

    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    order.refresh_from_db()
    assert order.upstream_order_number.startswith("SO")

    for name, page in pages(client, order).items():
        assert (
            f'<strong class="mono" id="marketplace-order-number">{order.upstream_order_number}'
            in page
        ), name
        assert 'hx-get="' + reverse("orders:numbers", args=[order.reference]) not in page, name
