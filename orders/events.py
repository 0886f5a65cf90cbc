"""Order events: what happened to an order, told after commit to listeners in other apps.

``orders`` records every change as an ``OrderEvent`` row in the transaction that made it
(``orders.lifecycle``). The row is the outbox: once the transaction commits, each listener
registered for the event's kind is called with it, and a receipt (``EventReceipt``) is written
in the listener's own transaction. A listener that fails leaves no receipt and its work is
rolled back; the order stays as committed. The beat's ``orders.redeliver_events`` hands every
event still without its receipt to its listener again (at least once: a listener may see an
event twice, and tells them apart by ``event.pk``).

Listeners register in their own app's ``AppConfig.ready``::

    events.listen(events.Kind.FAILED, "relationships.watch", relationship_watch_on_failure)

so ``orders`` imports none of them, and a new reaction to an order is a new file in its app.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EventReceipt, Order, OrderEvent

logger = logging.getLogger(__name__)

#: The beat leaves an event to its first delivery this long before handing it out again.
REDELIVER_GRACE = timedelta(minutes=2)
#: Events older than this are not handed out again (their listeners were told, or gave up).
REDELIVER_WINDOW = timedelta(days=1)
REDELIVER_BATCH = 500


class Kind(models.TextChoices):
    PLACED = "placed", _("Order placed")
    WAITING_FOR_APPROVAL = "waiting_for_approval", _("Waiting for the reseller's approval")
    SUBMITTED = "submitted", _("Order submitted")
    COMPLETED = "completed", _("Order completed")
    SEATS_CHANGED = "seats_changed", _("Seats changed")
    DETAILS_RECORDED = "details_recorded", _("Subscriptions or refund recorded")
    FAILED = "failed", _("Order failed")
    CANCELLED = "cancelled", _("Order cancelled")
    APPROVED = "approved", _("Approved by the reseller")
    DECLINED = "declined", _("Declined by the reseller")
    CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")


@dataclass(frozen=True)
class _Rule:
    """Which ``OrderEvent`` rows are of a kind: in Python (publishing) and in SQL (redelivery)."""

    kind: str
    to_status: str = ""
    action: str = ""
    moved: bool = True  # the state changed (from_status differs from to_status)
    seat_change: bool | None = None  # the order is a seat change (None: either)

    def matches(self, event: OrderEvent, order: Order) -> bool:
        return (
            (not self.to_status or event.to_status == self.to_status)
            and (not self.action or event.action == self.action)
            and (event.from_status != event.to_status) == self.moved
            and (self.seat_change is None or (order.kind == Order.Kind.CHANGE) == self.seat_change)
        )

    def rows(self) -> Q:
        q = Q(to_status=self.to_status) if self.to_status else Q()
        if self.action:
            q &= Q(action=self.action)
        q &= ~Q(from_status=F("to_status")) if self.moved else Q(from_status=F("to_status"))
        if self.seat_change is not None:
            seat_change = Q(order__kind=Order.Kind.CHANGE)
            q &= seat_change if self.seat_change else ~seat_change
        return q


_S = Order.Status
RULES = [
    _Rule(Kind.PLACED, to_status=_S.PLACED, action="place"),
    _Rule(Kind.WAITING_FOR_APPROVAL, to_status=_S.AWAITING_APPROVAL, action="place"),
    _Rule(Kind.SUBMITTED, to_status=_S.SUBMITTED),
    _Rule(Kind.COMPLETED, to_status=_S.COMPLETED, seat_change=False),
    _Rule(Kind.SEATS_CHANGED, to_status=_S.COMPLETED, seat_change=True),
    _Rule(Kind.DETAILS_RECORDED, action="details_recorded", moved=False),
    _Rule(Kind.FAILED, to_status=_S.FAILED),
    _Rule(Kind.CANCELLED, to_status=_S.CANCELLED),
    _Rule(Kind.APPROVED, to_status=_S.PLACED, action="approve"),
    _Rule(Kind.DECLINED, to_status=_S.DECLINED),
    _Rule(Kind.CANCELLATION_REQUESTED, to_status=_S.CANCEL_REQUESTED),
]
_RULE_OF = {rule.kind: rule for rule in RULES}


class Failure(models.TextChoices):
    """Why a ``failed`` event failed, read from who recorded it and the state it left."""

    NOT_MAPPED = "not_mapped", _("The order could not be built for the marketplace; none was sent")
    REFUSED = "refused", _("The marketplace refused the order as sent")
    PROVISIONING = "provisioning", _("The marketplace failed or cancelled the accepted order")
    CLOSED = "closed", _("A person closed the order as stuck upstream")


def failure_of(event: OrderEvent) -> str:
    """Tell which ``Failure`` a ``failed`` event records.

    Only the worker fails an order by itself, when it cannot build the request (``NotMappable``);
    the marketplace's answer is recorded as its own (``Actor.UPSTREAM``): a refusal of the
    request from ``submitting`` (or ``unknown``, when the answer came after the sweeper's doubt),
    a provisioning failure from ``submitted`` or ``processing``. Anyone else is a person closing
    an order stuck upstream (``orders.stuck``).
    """
    if event.actor == OrderEvent.Actor.WORKER:
        return Failure.NOT_MAPPED
    if event.actor == OrderEvent.Actor.UPSTREAM:
        sent = event.from_status in (_S.SUBMITTING, _S.UNKNOWN)
        return Failure.REFUSED if sent else Failure.PROVISIONING
    return Failure.CLOSED


def details_pending_at(event: OrderEvent) -> bool:
    """Tell whether the order's detail was still to be read when it completed (``event``).

    ``details_pending`` is set with the completion and cleared only together with the
    ``details_recorded`` record, so either it is still set or that record came after ``event``.
    """
    order = event.order
    return (
        order.details_pending
        or order.events.filter(action="details_recorded", pk__gt=event.pk).exists()
    )


@dataclass(frozen=True)
class Listener:
    kind: str
    name: str
    handle: Callable[[OrderEvent], None]


_listeners: dict[tuple[str, str], Listener] = {}


def listen(kind: Kind, name: str, handle: Callable[[OrderEvent], None]) -> None:
    """Call ``handle(event)`` after commit for every event of ``kind``; ``name`` keys receipts."""
    _listeners[(kind, name)] = Listener(kind=kind, name=name, handle=handle)


def listeners() -> list[Listener]:
    return list(_listeners.values())


def event_kinds(event: OrderEvent, order: Order | None = None) -> list[str]:
    """Return the kinds ``event`` is of (none for a record that is history only)."""
    order = order or event.order
    return [rule.kind for rule in RULES if rule.matches(event, order)]


def publish(event: OrderEvent) -> None:
    """Tell the event's listeners once the transaction that recorded it commits."""
    wanted = [
        listener
        for kind in event_kinds(event)
        for listener in _listeners.values()
        if listener.kind == kind
    ]
    if wanted:
        transaction.on_commit(lambda: _deliver_all(event, wanted), robust=True)


def _deliver_all(event: OrderEvent, wanted: list[Listener]) -> None:
    for listener in wanted:
        event_deliver(event, listener)


def event_deliver(event: OrderEvent, listener: Listener) -> bool:
    """Hand ``event`` to ``listener`` with its receipt in one transaction; return True if done.

    A failure rolls back what the listener did and is logged; the event keeps no receipt and
    the beat hands it out again. A receipt already there (another worker was first) rolls this
    delivery back too, so a listener's database work happens once.
    """
    try:
        with transaction.atomic():
            listener.handle(event)
            EventReceipt.objects.create(event_id=event.pk, listener=listener.name)
    except IntegrityError:
        logger.info("Order event %s: %s was told already", event.pk, listener.name)
        return False
    except Exception:
        logger.exception(
            "Order event %s (%s): listener %s failed; the beat tries again",
            event.pk,
            listener.kind,
            listener.name,
        )
        return False
    return True


def events_redeliver(*, now=None) -> int:
    """Hand every recent event still without its listener's receipt to it again; return how many.

    Only events after the first one recorded since receipts exist count (the older ones were
    told the way orders told them before, without receipts).
    """
    now = now or timezone.now()
    start = EventReceipt.objects.filter(listener=EventReceipt.OUTBOX_START).first()
    recent = OrderEvent.objects.filter(
        created_at__gte=now - REDELIVER_WINDOW, created_at__lt=now - REDELIVER_GRACE
    )
    if start is not None:
        recent = recent.filter(pk__gt=start.event_id)
    count = 0
    for listener in listeners():
        receipt = EventReceipt.objects.filter(event=OuterRef("pk"), listener=listener.name)
        missed = (
            recent.filter(_RULE_OF[listener.kind].rows())
            .filter(~Exists(receipt))
            .select_related("order")
            .order_by("pk")[:REDELIVER_BATCH]
        )
        for event in missed:
            count += event_deliver(event, listener)
    return count
