"""Orders stuck upstream: the marketplace took them and has been provisioning them for too long.

The marketplace sometimes leaves an order in ``processing`` (its ``LO``) for hours or days.
The pipeline keeps polling it; a person can escalate it to the distributor, quoting the
marketplace's order number and correlation ids, ask again now, or close it as not completed
once the distributor has said so. Each of these is recorded as the order's event with who
did it; the order's status only moves through ``orders.lifecycle``.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from . import cause_words
from .dispatch import enqueue_poll
from .lifecycle import TransitionRefused, order_record, order_transition
from .models import Order, OrderEvent
from .pipeline.conf import seconds
from .services.changes import ChangeRefused, actor_for

#: The statuses in which an order waits on the marketplace alone.
UPSTREAM_STATUSES = (Order.Status.SUBMITTED, Order.Status.PROCESSING)
ESCALATE = "escalate"
REPOLL = "admin_repoll"
#: The correlation ids an escalation quotes, newest first.
CORRELATION_IDS_QUOTED = 5
CLOSED_PREFIX = "Closed by our support after checking with the distributor"
#: Kept on the order in English, like every stored text; pages show it translated.
CLOSED_GUIDANCE = gettext_noop(
    "Our support closed this order after the distributor confirmed that the marketplace will "
    "not complete it. Resubmit it, or order again, when you are ready."
)


def stuck_threshold(now: datetime | None = None) -> datetime:
    """Return the moment before which an order still provisioning counts as stuck."""
    return (now or timezone.now()) - seconds("STUCK_AFTER_SECONDS")


def stuck_orders(now: datetime | None = None):
    """Return the orders the marketplace has been provisioning for longer than it should."""
    return Order.objects.filter(
        status__in=UPSTREAM_STATUSES, submitted_at__lte=stuck_threshold(now)
    )


@dataclass(frozen=True)
class StuckOrder:
    """What the order page tells the reseller about an order stuck upstream."""

    since: datetime
    escalation: OrderEvent | None


def stuck_state(order: Order, *, now: datetime | None = None) -> StuckOrder | None:
    """Return how long ``order`` has been stuck and whether it was escalated, or None."""
    if order.status not in UPSTREAM_STATUSES or order.submitted_at is None:
        return None
    if order.submitted_at > stuck_threshold(now):
        return None
    escalation = order.events.filter(action=ESCALATE).order_by("-created_at").first()
    return StuckOrder(since=order.submitted_at, escalation=escalation)


def correlation_ids(order: Order) -> list[str]:
    """Return the marketplace's correlation ids of the order's exchanges, newest first."""
    ids = (
        order.exchanges.exclude(correlation_id="")
        .order_by("-started_at", "-pk")
        .values_list("correlation_id", flat=True)
    )
    return list(dict.fromkeys(ids))[:CORRELATION_IDS_QUOTED]


def escalation_text(order: Order) -> str:
    """Return what to send the distributor's support: the marketplace's own ids for the order."""
    quoted = ", ".join(correlation_ids(order)) or "none recorded"
    since = f" since {order.submitted_at:%Y-%m-%d %H:%M} UTC" if order.submitted_at else ""
    return (
        f"Order {order.reference}: marketplace order {order.upstream_order_number or '(no number)'}"
        f" (id {order.upstream_order_id or 'unknown'}), status "
        f"{order.upstream_status or order.status} {order.upstream_status_code}".rstrip()
        + f"{since}; correlation ids: {quoted}."
    )


def _check_upstream(order: Order, refusal) -> None:
    if order.status not in UPSTREAM_STATUSES:
        raise ChangeRefused(
            refusal % {"reference": order.reference, "status": order.get_status_display().lower()}
        )


def order_escalate(*, order: Order, user) -> OrderEvent:
    """Record that the order was escalated to the distributor, with the ids to quote."""
    _check_upstream(
        order,
        _(
            "Only an order waiting on the marketplace can be escalated; %(reference)s is "
            "%(status)s."
        ),
    )
    ids = correlation_ids(order)
    return order_record(
        order,
        ESCALATE,
        actor=actor_for(user),
        actor_user=user,
        cause=f"Escalated to {settings.MARKETPLACE_SUPPORT_CONTACT}. {escalation_text(order)}",
        correlation_id=ids[0] if ids else "",
        publish=True,
    )


def order_repoll_now(*, order: Order, user) -> OrderEvent:
    """Record that a person asked for the order to be polled now, and poll it after commit."""
    _check_upstream(
        order,
        _(
            "Only an order waiting on the marketplace can be polled again; %(reference)s is "
            "%(status)s."
        ),
    )
    with transaction.atomic():
        event = order_record(
            order,
            REPOLL,
            actor=actor_for(user),
            actor_user=user,
            cause=cause_words.ADMIN_ASKED_POLL,
        )
        Order.objects.filter(pk=order.pk).update(next_poll_at=timezone.now())
        transaction.on_commit(lambda: enqueue_poll(order.pk))
    return event


def order_close_stuck(*, order: Order, user, reason: str) -> Order:
    """Close an order stuck upstream as not completed, with the reason the distributor gave."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ChangeRefused(_("Give the reason, as the distributor stated it."))
    _check_upstream(
        order,
        _("Only an order waiting on the marketplace can be closed; %(reference)s is %(status)s."),
    )
    message = f"{CLOSED_PREFIX}: {reason}"
    try:
        with transaction.atomic():
            order_transition(
                order,
                "fail",
                actor=actor_for(user),
                actor_user=user,
                cause=message,
                changes={
                    "failure_message": message,
                    "failure_guidance": CLOSED_GUIDANCE,
                    "next_poll_at": None,
                },
            )
    except TransitionRefused as refused:
        raise ChangeRefused(
            _("%(reference)s is now %(status)s; nothing was closed.")
            % {"reference": order.reference, "status": refused.order.get_status_display().lower()}
        ) from refused
    return order
