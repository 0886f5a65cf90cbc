"""Webhooks listen to order events: one message per endpoint that asked for the event's type.

Registered in ``WebhooksConfig.ready``. Each event comes once its order's transaction has
committed (``orders.events``); the messages are created in the delivery's own transaction,
with its receipt, so an event handed out again never makes a second message.
"""

import uuid
from functools import partial

from django.db import transaction
from django.utils import timezone

from orders import events

from .models import Endpoint, Event, Message
from .services import payload_build
from .tasks import deliver_message

#: The order events integrators hear of, and the webhook type each is sent as.
EVENT_TYPES = {
    events.Kind.SUBMITTED: Event.SUBMITTED,
    events.Kind.COMPLETED: Event.COMPLETED,
    events.Kind.SEATS_CHANGED: Event.SEATS_CHANGED,
    events.Kind.DETAILS_RECORDED: Event.DETAILS_RECORDED,
    events.Kind.FAILED: Event.FAILED,
    events.Kind.CANCELLED: Event.CANCELLED,
}
LISTENER = "webhooks"


def messages_create(order_event, *, event_type: str) -> None:
    """Create one message per enabled endpoint that wants ``event_type``; deliver after commit."""
    order = order_event.order
    endpoints = Endpoint.objects.filter(reseller_id=order.reseller_id, enabled=True)
    for endpoint in endpoints:
        if event_type not in endpoint.events:
            continue
        message = Message.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=event_type,
            order=order,
            payload=payload_build(
                order=order, event_type=event_type, occurred_at=order_event.created_at
            ),
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda pk=message.pk: deliver_message.delay(pk))


def register() -> None:
    for kind, event_type in EVENT_TYPES.items():
        events.listen(kind, LISTENER, partial(messages_create, event_type=event_type))
