"""Subscription events: a subscription's history, told after commit to listeners in other apps.

The sibling of ``orders.events`` for what happens to a subscription rather than to an order
(adopted from the estate, changed outside this product, renewed…), with the same guarantees:
the ``SubscriptionEvent`` row is written in the transaction that made the change and is the
outbox; after commit each listener registered for its kind is called with it in a transaction
of its own together with its receipt (``SubscriptionEventReceipt``); a listener that fails
leaves no receipt and the beat (``orders.redeliver_events``) hands the event to it again. A
listener may thus see an event twice and tells repeats apart by ``event.pk``.

Listeners register in their own app's ``AppConfig.ready``::

    subscription_events.listen(Kind.CHANGED_OUTSIDE, "webhooks.deliver", handler)
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .events import REDELIVER_BATCH, REDELIVER_GRACE, REDELIVER_WINDOW
from .models import Subscription, SubscriptionEvent, SubscriptionEventReceipt

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Listener:
    kind: str
    name: str
    handle: Callable[[SubscriptionEvent], None]


_listeners: dict[tuple[str, str], Listener] = {}


def listen(kind: str, name: str, handle: Callable[[SubscriptionEvent], None]) -> None:
    """Call ``handle(event)`` after commit for every event of ``kind``; ``name`` keys receipts."""
    _listeners[(kind, name)] = Listener(kind=kind, name=name, handle=handle)


def listeners() -> list[Listener]:
    return list(_listeners.values())


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


def publish(event: SubscriptionEvent) -> None:
    """Tell the event's listeners once the transaction that recorded it commits."""
    wanted = [listener for listener in _listeners.values() if listener.kind == event.kind]
    if wanted:
        transaction.on_commit(lambda: _deliver_all(event, wanted), robust=True)


def _deliver_all(event: SubscriptionEvent, wanted: list[Listener]) -> None:
    for listener in wanted:
        event_deliver(event, listener)


def event_deliver(event: SubscriptionEvent, listener: Listener) -> bool:
    """Hand ``event`` to ``listener`` with its receipt in one transaction; return True if done."""
    try:
        with transaction.atomic():
            listener.handle(event)
            SubscriptionEventReceipt.objects.create(event_id=event.pk, listener=listener.name)
    except IntegrityError:
        logger.info("Subscription event %s: %s was told already", event.pk, listener.name)
        return False
    except Exception:
        logger.exception(
            "Subscription event %s (%s): listener %s failed; the beat tries again",
            event.pk,
            listener.kind,
            listener.name,
        )
        return False
    return True


def events_redeliver(*, now=None, window: timedelta = REDELIVER_WINDOW) -> int:
    """Hand every recent event still without its listener's receipt to it again; return how many."""
    now = now or timezone.now()
    recent = SubscriptionEvent.objects.filter(
        created_at__gte=now - window, created_at__lt=now - REDELIVER_GRACE
    )
    count = 0
    for listener in listeners():
        receipt = SubscriptionEventReceipt.objects.filter(
            event=OuterRef("pk"), listener=listener.name
        )
        missed = (
            recent.filter(kind=listener.kind)
            .filter(~Exists(receipt))
            .select_related("subscription")
            .order_by("pk")[:REDELIVER_BATCH]
        )
        for event in missed:
            count += event_deliver(event, listener)
    return count
