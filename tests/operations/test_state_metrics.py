"""/metrics counts webhook deliveries, disabled endpoints and reconciliation verdicts.

Deliveries go through the product's own ``message_deliver`` to a real local HTTP
receiver; the verdicts through the lifecycle's own transitions.
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from orders.lifecycle import Actor, order_transition
from orders.models import Order
from tests.factories import OrderFactory
from tests.pipeline.test_observed import samples, value
from tests.webhooks.test_delivery import _message, receiver  # noqa: F401 (fixture)
from webhooks.models import Message
from webhooks.services import message_deliver

pytestmark = pytest.mark.django_db
TOKEN = "state-metrics-token"


def scrape(settings) -> dict:
    settings.OPERATIONS = {**settings.OPERATIONS, "METRICS_TOKEN": TOKEN}
    answer = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert answer.status_code == 200
    return samples(answer.content.decode())


def test_webhook_deliveries_and_a_disabled_endpoint_are_counted(receiver, settings):  # noqa: F811
    receiver.statuses = [204] + [500] * 10
    delivered = _message(receiver.url, settings)
    message_deliver(message=delivered)
    failing = Message.objects.create(
        endpoint=delivered.endpoint,
        message_id="msg_test2",
        event_type=delivered.event_type,
        order=delivered.order,
        payload=delivered.payload,
        next_attempt_at=timezone.now(),
    )
    message_deliver(message=failing)  # 500
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        message_deliver(message=failing)  # 500 a day on: the endpoint is turned off

    found = scrape(settings)
    assert value(found, "nce_webhook_deliveries_total", outcome="delivered") == 1
    assert value(found, "nce_webhook_deliveries_total", outcome="failed") == 2
    assert value(found, "nce_webhook_endpoints_disabled") == 1


def test_reconciliation_verdicts_are_counted_by_the_state_they_reach(settings):
    verdicts = {"submitted": 2, "placed": 1}
    for target, count in verdicts.items():
        for _ in range(count):
            order = OrderFactory(status=Order.Status.UNKNOWN)
            transition = "accept" if target == "submitted" else "release"
            order_transition(order, transition, actor=Actor.WORKER, cause="test")
    found = scrape(settings)
    for target, count in verdicts.items():
        assert value(found, "nce_reconciliations_total", verdict=target) == count
