"""After a database is restored from a backup: nothing it calls unsent is sent on trust.

A backup is older than the marketplace. An order the backup shows ``placed``
may have been sent by the old site after the backup was taken, and one it
shows ``submitting`` may have reached the marketplace. Both are turned
``unknown`` here, before any worker starts, so reconciliation searches the
marketplace for their reference first: found, the order is adopted; provably
absent, it is sent (orders.pipeline.reconciliation).
"""

from django.utils import timezone

from .. import cause_words
from ..lifecycle import Actor, TransitionRefused, order_transition
from ..models import Order

DOUBTED = {
    Order.Status.PLACED: "doubt_after_restore",
    Order.Status.SUBMITTING: "lose_track",
}
CAUSE = cause_words.RESTORED_FROM_BACKUP


def orders_doubt_after_restore() -> dict[str, int]:
    """Turn every placed or submitting order unknown; return how many of each."""
    now = timezone.now()
    counts = {status.value: 0 for status in DOUBTED}
    for order in Order.objects.filter(status__in=list(DOUBTED)).order_by("pk"):
        status = order.status
        try:
            order_transition(
                order,
                DOUBTED[status],
                actor=Actor.SYSTEM,
                cause=CAUSE,
                changes={"unknown_since": now, "next_attempt_at": now},
            )
        except TransitionRefused:
            continue
        counts[status] += 1
    return counts
