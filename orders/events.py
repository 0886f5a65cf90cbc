"""Order events: what happened to an order, told after commit to listeners in other apps.

``orders`` records every change as an ``OrderEvent`` row in the transaction that made it
(``orders.lifecycle``). The row is the outbox (``orders.outbox``): once the transaction commits,
each listener registered for the event's kind is called with it, and a receipt
(``EventReceipt``) is written in the listener's own transaction. A listener that fails leaves
no receipt and its work is rolled back; the order stays as committed. The beat's
``orders.redeliver_events`` hands every event still without its receipt to its listener again
(at least once: a listener may see an event twice, and tells them apart by ``event.pk``).

Listeners register in their own app's ``AppConfig.ready``::

    events.listen(events.Kind.FAILED, "relationships.watch", relationship_watch_on_failure)

so ``orders`` imports none of them, and a new reaction to an order is a new file in its app.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EventReceipt, Order, OrderEvent
from .outbox import Outbox, redeliverable


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


def event_kinds(event: OrderEvent, order: Order | None = None) -> list[str]:
    """Return the kinds ``event`` is of (none for a record that is history only)."""
    order = order or event.order
    return [rule.kind for rule in RULES if rule.matches(event, order)]


def _rows_of(kind: str) -> Q:
    return _RULE_OF[kind].rows()


_outbox = Outbox(
    log_name="Order event",
    receipts=EventReceipt,
    kinds_of=event_kinds,
    rows_of=_rows_of,
    subject="order",
)
# The one outbox's verbs, under the names the rest of the product calls (orders.outbox).
listen = _outbox.listen
publish = _outbox.publish
event_deliver = _outbox.deliver
_listeners = _outbox.listeners


def events_redeliver(*, now=None) -> int:
    """Hand every recent event still without its listener's receipt to it again; return how many.

    Only events after the first one recorded since receipts exist count (the older ones were
    told the way orders told them before, without receipts).
    """
    recent = redeliverable(OrderEvent.objects.all(), now=now or timezone.now())
    start = EventReceipt.objects.filter(listener=EventReceipt.OUTBOX_START).first()
    if start is not None:
        recent = recent.filter(pk__gt=start.event_id)
    return _outbox.redeliver(recent)
