"""``order.details_recorded``: an order completed from its list row, then its details recorded.

The product's own path against the in-process simulator, as
tests/orders/test_finished_from_the_list.py drives it: the customer's list poll finds the order
finished, its row completes it with ``details_pending``, and ``finishing.order_details_read``
records its subscriptions. The ``webhooks.deliver_message`` task's own code delivers the
message to a local receiver.
"""

import pytest
from django.db import transaction
from standardwebhooks.webhooks import Webhook

from orders.lifecycle import Actor, order_record
from orders.models import Order, Subscription
from orders.pipeline import finishing
from orders.services.changes import order_cancel
from tests.orders.helpers import completed_order, finished_from_the_list, place_for
from tests.orders.simulated import (  # noqa: F401  (the in-process simulator's fixtures)
    list_polled,
    plain_products,
    simulator,
    upstream_customer,
    upstream_reseller,
)
from tests.webhooks.test_delivery import receiver  # noqa: F401
from webhooks.models import Endpoint, Event
from webhooks.tasks import deliver_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries(monkeypatch):
    """The ids of the messages handed to ``webhooks.deliver_message``, not yet delivered."""
    ids = []
    monkeypatch.setattr(deliver_message, "delay", ids.append)
    return ids


@pytest.fixture
def endpoints(upstream_reseller, receiver, settings):  # noqa: F811
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # the receiver is on loopback
    subscribed = Endpoint.objects.create(
        reseller=upstream_reseller, url=receiver.url, events=[Event.DETAILS_RECORDED]
    )
    not_subscribed = Endpoint.objects.create(
        reseller=upstream_reseller,
        url=receiver.url,
        events=[Event.SUBMITTED, Event.COMPLETED, Event.FAILED, Event.CANCELLED],
    )
    return subscribed, not_subscribed


@pytest.mark.usefixtures("list_polled")
def test_recorded_details_are_sent_once_to_the_endpoints_subscribed_to_them(
    upstream_customer,  # noqa: F811
    simulator,  # noqa: F811
    enqueued,
    deliveries,
    endpoints,
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    subscribed, not_subscribed = endpoints
    order = finished_from_the_list(
        upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
    )
    assert order.status == Order.Status.COMPLETED and order.details_pending
    assert not subscribed.messages.exists()
    assert list(not_subscribed.messages.values_list("event_type", flat=True)) == [
        "order.completed",
        "order.submitted",
    ]

    with django_capture_on_commit_callbacks(execute=True):
        finishing.order_details_read([order.pk])
    # Read again (a duplicate task): already recorded, nothing more is sent.
    with django_capture_on_commit_callbacks(execute=True):
        finishing.order_details_read([order.pk])

    order.refresh_from_db()
    assert not order.details_pending and Subscription.objects.filter(order=order).exists()
    (message,) = subscribed.messages.all()
    assert message.event_type == "order.details_recorded" and message.order == order
    assert not not_subscribed.messages.filter(event_type="order.details_recorded").exists()
    assert deliveries.count(message.pk) == 1

    receiver.received.clear()
    deliver_message(message.pk)
    ((headers, body),) = receiver.received
    lowered = {k.lower(): v for k, v in headers.items()}
    payload = Webhook(subscribed.secret).verify(body, lowered)
    assert lowered["webhook-id"] == message.message_id
    assert payload["type"] == "order.details_recorded"
    assert payload["data"]["reference"] == order.reference
    assert payload["data"]["status"] == "completed"
    assert payload["data"]["details_pending"] is False
    message.refresh_from_db()
    assert message.delivered_at


@pytest.mark.usefixtures("list_polled")
def test_a_cancellations_refund_recorded_is_sent_too(
    upstream_customer,  # noqa: F811
    simulator,  # noqa: F811
    enqueued,
    deliveries,
    endpoints,
    django_capture_on_commit_callbacks,
):
    subscribed, _ = endpoints
    purchase = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="buyer@northwind.example",
    )
    # Polled on its own, the purchase was recorded whole: no details to wait for.
    assert not purchase.details_pending and not subscribed.messages.exists()
    (cancellation,) = order_cancel(order=purchase, user=purchase.placed_by)
    cancellation = finished_from_the_list(
        upstream_customer,
        simulator,
        enqueued,
        django_capture_on_commit_callbacks,
        order=cancellation,
    )
    assert not subscribed.messages.exists()

    with django_capture_on_commit_callbacks(execute=True):
        finishing.order_details_read([cancellation.pk])

    (message,) = subscribed.messages.all()
    assert message.order == cancellation and message.event_type == "order.details_recorded"
    assert message.payload["data"]["kind"] == "cancellation"
    assert message.payload["data"]["details_pending"] is False
    assert deliveries.count(message.pk) == 1


def test_a_repoll_publishes_nothing(
    upstream_reseller,  # noqa: F811
    upstream_customer,  # noqa: F811
    receiver,  # noqa: F811
    settings,
    deliveries,
    django_capture_on_commit_callbacks,
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    everything = Endpoint.objects.create(
        reseller=upstream_reseller, url=receiver.url, events=list(Event.values)
    )
    order = place_for(upstream_customer, plain_products(1), domain_prefix="wh")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            order_record(order, "repoll", actor=Actor.ADMIN, cause="Asked again; no change.")
    assert not everything.messages.exists() and deliveries == []
