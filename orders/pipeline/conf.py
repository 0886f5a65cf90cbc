"""The pipeline's timings, from settings.ORDERS_PIPELINE, and the backoff they imply."""

import random
from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    "SUBMIT_STALE_SECONDS": 420.0,
    "RECONCILE_SETTLE_SECONDS": 180.0,
    "RECONCILE_INTERVAL_SECONDS": 20.0,
    # A reference search: rows per page, the most orders it may list, how many incomplete
    # searches before a person is asked, and how often it looks again after that.
    "RECONCILE_PAGE_SIZE": 500,
    "RECONCILE_MAX_ORDERS": 2000,
    "RECONCILE_MAX_INCOMPLETE": 10,
    "RECONCILE_ESCALATED_INTERVAL_SECONDS": 600.0,
    "PLACED_GRACE_SECONDS": 10.0,
    "POLL_REQUESTS_PER_MINUTE": 300,
    "POLL_BATCH_SIZE": 500,
    "POLL_LIST_THRESHOLD": 20,
    # Orders a list poll found finished, recorded from their rows by one task.
    "POLL_FINISHED_BATCH": 100,
    # Completed orders of one customer whose details one task reads (one subscription list).
    "POLL_COMPLETION_BATCH": 25,
    "POLL_SCHEDULE": [(60, 2), (600, 10), (3600, 60), (86400, 300)],
    "POLL_MAX_DELAY_SECONDS": 900,
    # A leased order is not offered again for this long, even if its poll task is lost.
    "POLL_LEASE_SECONDS": 60.0,
    # An order the marketplace has been provisioning this long is shown as stuck.
    "STUCK_AFTER_SECONDS": 4 * 3600.0,
    "RETRY_BASE_SECONDS": 5.0,
    "RETRY_MAX_SECONDS": 600.0,
}
#: Never hand Celery a countdown near the Redis visibility timeout (3600 s by default):
#: longer waits live in the database (next_attempt_at, next_poll_at) and the beat picks them up.
MAX_COUNTDOWN_SECONDS = 60.0


def setting(name: str):
    return {**DEFAULTS, **getattr(settings, "ORDERS_PIPELINE", {})}[name]


def seconds(name: str) -> timedelta:
    return timedelta(seconds=float(setting(name)))


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Return how long to wait before send attempt ``attempt + 1``: Retry-After, else backoff."""
    if retry_after is not None:
        return float(retry_after)
    base = float(setting("RETRY_BASE_SECONDS"))
    delay = min(float(setting("RETRY_MAX_SECONDS")), base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.8, 1.2)


def poll_delay(age_seconds: float) -> float:
    """Return the wait before the next poll of an order submitted ``age_seconds`` ago."""
    for below, delay in setting("POLL_SCHEDULE"):
        if age_seconds < below:
            return float(delay)
    return float(setting("POLL_MAX_DELAY_SECONDS"))


def countdown(delay: float) -> float | None:
    """Return a Celery countdown for ``delay``, or None when the beat should pick it up instead."""
    return delay if delay <= MAX_COUNTDOWN_SECONDS else None
