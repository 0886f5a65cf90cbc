"""Webhooks listen to subscription events (``orders.subscription_events``) as to order events:
one message per endpoint that asked for the type, created with the delivery's receipt, so an
event handed out again never makes a second message.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from orders import subscription_events
from orders.subscription_events import Kind

from .models import Endpoint, Event, Message
from .services import _setting
from .tasks import deliver_message

LISTENER = "webhooks"
#: Subscription events integrators hear of: kind -> (webhook type, the change in one word).
EVENT_TYPES = {
    Kind.CHANGED_OUTSIDE: (Event.SUBSCRIPTION_CHANGED_OUTSIDE, "changed"),
    Kind.ADDED_OUTSIDE: (Event.SUBSCRIPTION_CHANGED_OUTSIDE, "added"),
    Kind.CANCELLED_OUTSIDE: (Event.SUBSCRIPTION_CHANGED_OUTSIDE, "cancelled"),
    Kind.CHANGED: (Event.SUBSCRIPTION_CHANGED, "changed"),
    Kind.RENEWED: (Event.SUBSCRIPTION_RENEWED, "renewed"),
    Kind.SCHEDULED_CHANGE_APPLIED: (Event.SUBSCRIPTION_SCHEDULED_CHANGE_APPLIED, "changed"),
}


def subscription_payload(event, *, event_type: str, change: str) -> dict:
    """Return the JSON body of a subscription event (documented in docs/estate.md)."""
    subscription = event.subscription
    base = (_setting("WEBHOOKS_API_BASE_URL", "") or _setting("SITE_URL", "")).rstrip("/")
    return {
        "type": event_type,
        "timestamp": event.created_at.isoformat(),
        "data": {
            "change": change,
            "subscription": {
                "id": subscription.pk,
                "upstream_id": subscription.upstream_id,
                "origin": subscription.origin,
                "status": subscription.status,
                "seats": subscription.seats,
                "auto_renew": subscription.auto_renew,
                "renewal_date": subscription.renewal_date.isoformat()
                if subscription.renewal_date
                else None,
            },
            "customer": {"id": subscription.customer_id, "name": str(subscription.customer)},
            "before": event.details.get("before", {}),
            "after": event.details.get("after", {}),
            "cause": event.cause,
            "event_id": event.pk,
            "url": f"{base}/api/v1/subscriptions?customer_id={subscription.customer_id}",
        },
    }


def messages_create(event, *, event_type: str, change: str) -> None:
    subscription = event.subscription
    endpoints = Endpoint.objects.filter(reseller_id=subscription.customer.reseller_id, enabled=True)
    for endpoint in endpoints:
        if event_type not in endpoint.events:
            continue
        message = Message.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=event_type,
            payload=subscription_payload(event, event_type=event_type, change=change),
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda pk=message.pk: deliver_message.delay(pk))


def register() -> None:
    for kind, (event_type, change) in EVENT_TYPES.items():
        subscription_events.listen(
            kind,
            LISTENER,
            lambda event, t=event_type, c=change: messages_create(event, event_type=t, change=c),
        )
