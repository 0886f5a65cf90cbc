"""Subscription events: a subscription's history, told after commit to listeners in other apps.

The sibling of ``orders.events`` for what happens to a subscription rather than to an order
(adopted from the estate, changed outside this product, renewed…), on the same outbox
(``orders.outbox``): the ``SubscriptionEvent`` row is written in the transaction that made the
change; after commit each listener registered for its kind is called with it in a transaction
of its own together with its receipt (``SubscriptionEventReceipt``); a listener that fails
leaves no receipt and the beat (``orders.redeliver_events``) hands the event to it again. A
listener may thus see an event twice and tells repeats apart by ``event.pk``.

Listeners register in their own app's ``AppConfig.ready``::

    subscription_events.listen(Kind.CHANGED_OUTSIDE, "webhooks.deliver", handler)
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Subscription, SubscriptionEvent, SubscriptionEventReceipt
from .outbox import REDELIVER_WINDOW, Outbox, redeliverable

Actor = SubscriptionEvent.Actor


class Kind(models.TextChoices):
    """What happened to a subscription. Another kind is one more line here."""

    ADOPTED = "adopted", _("Adopted from the marketplace")
    CHANGED_OUTSIDE = "changed_outside", _("Changed outside this product")
    ADDED_OUTSIDE = "added_outside", _("Added outside this product")
    CANCELLED_OUTSIDE = "cancelled_outside", _("Cancelled outside this product")
    # Part B of issue 23 (plan changes, renewals) adds its kinds below.
    CHANGED = "changed", _("Changed by an order placed here")
    RENEWED = "renewed", _("Renewed")
    SCHEDULED_CHANGE_APPLIED = (
        "scheduled_change_applied",
        _("A change scheduled for the renewal applied"),
    )


def _kinds_of(event: SubscriptionEvent) -> list[str]:
    return [event.kind]


def _rows_of(kind: str) -> Q:
    return Q(kind=kind)


_outbox = Outbox(
    log_name="Subscription event",
    receipts=SubscriptionEventReceipt,
    kinds_of=_kinds_of,
    rows_of=_rows_of,
    subject="subscription",
)
# The one outbox's verbs, under the names the rest of the product calls (orders.outbox).
listen = _outbox.listen
publish = _outbox.publish
event_deliver = _outbox.deliver
_listeners = _outbox.listeners


def subscription_record(
    subscription: Subscription,
    kind: str,
    *,
    actor: str,
    cause: str,
    details: dict | None = None,
    actor_user=None,
) -> SubscriptionEvent:
    """Record ``kind`` on the subscription's history and tell its listeners after commit."""
    event = SubscriptionEvent.objects.create(
        subscription=subscription,
        kind=kind,
        actor=actor,
        actor_user=actor_user,
        cause=cause,
        details=details or {},
    )
    publish(event)
    return event


def events_redeliver(*, now=None, window: timedelta = REDELIVER_WINDOW) -> int:
    """Hand every recent event still without its listener's receipt to it again; return how many."""
    events = SubscriptionEvent.objects.all()
    recent = redeliverable(events, now=now or timezone.now(), window=window)
    return _outbox.redeliver(recent)
