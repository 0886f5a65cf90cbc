"""A change outside this product reaches the reseller's webhook as subscription.changed_outside.

The drift comes from the simulator (changed behind the product's back) through the scheduled
sync; the message is made by the webhooks' listener (here through the beat's redelivery, as
the test's transaction never commits).
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from estate.models import ImportRun
from orders import outbox, subscription_events
from orders.models import Subscription
from webhooks.models import Endpoint, Event, Message

from .conftest import run_to_end

pytestmark = pytest.mark.django_db


def test_a_change_outside_makes_one_message_with_before_and_after(marketplace, estate_reseller):
    Endpoint.objects.create(
        reseller=estate_reseller,
        url="https://hooks.example/in",
        events=[Event.SUBSCRIPTION_CHANGED_OUTSIDE],
    )
    seeded = marketplace.post(
        "estate", {"resellerId": "1000001", "customers": 1, "subscriptions": 1}
    )
    run_to_end(estate_reseller)
    subscription = Subscription.objects.get()
    marketplace.post(f"subscriptions/{seeded['subscriptionIds'][0]}/outside", {"quantity": 33})
    run_to_end(estate_reseller, kind=ImportRun.Kind.SYNC)

    grace = outbox.REDELIVER_GRACE + timedelta(seconds=1)
    with time_machine.travel(timezone.now() + grace):
        subscription_events.events_redeliver()
        subscription_events.events_redeliver()
    message = Message.objects.get()  # adopted is not a webhook event; one message, not two
    data = message.payload["data"]
    assert message.payload["type"] == "subscription.changed_outside"
    assert data["change"] == "changed" and data["after"] == {"seats": 33}
    assert data["before"] == {"seats": subscription.seats}
    assert data["subscription"]["upstream_id"] == subscription.upstream_id
    assert data["subscription"]["origin"] == "adopted" and data["subscription"]["seats"] == 33
