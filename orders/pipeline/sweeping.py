"""Find the work the broker lost: the database says what every order still needs."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..dispatch import enqueue_reconcile, enqueue_submit
from ..models import Order
from .conf import seconds
from .kept_answers import kept_answers
from .submission import release_stale_submissions

SWEEP_BATCH = 500


def sweep() -> dict[str, int]:
    """Re-enqueue due placed and unknown orders; presume silent submitters dead."""
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    placed = list(
        Order.objects.filter(
            due, status=Order.Status.PLACED, updated_at__lt=now - seconds("PLACED_GRACE_SECONDS")
        )
        .order_by("placed_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for order_id in placed:
        transaction.on_commit(lambda pk=order_id: enqueue_submit(pk))
    # Accepted upstream while the database was down: recorded now, not after going stale.
    submitting = Order.objects.filter(status=Order.Status.SUBMITTING).values_list("pk", flat=True)
    kept = list(kept_answers(submitting[:SWEEP_BATCH]))
    for order_id in kept:
        transaction.on_commit(lambda pk=order_id: enqueue_submit(pk))
    stale = release_stale_submissions()
    unknown = list(
        Order.objects.filter(due, status=Order.Status.UNKNOWN)
        .order_by("unknown_since")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for order_id in unknown:
        transaction.on_commit(lambda pk=order_id: enqueue_reconcile(pk))
    return {"placed": len(placed), "kept": len(kept), "stale": stale, "unknown": len(unknown)}
