"""The tracker's timings, from settings.RELATIONSHIP_TRACKER, and the backoff they imply."""

from datetime import timedelta

from django.conf import settings

DEFAULTS = {
    "FIRST_CHECK_SECONDS": 120,
    "MAX_INTERVAL_SECONDS": 6 * 3600,
    "GIVE_UP_AFTER_DAYS": 14,
    "CHECKS_PER_RUN": 50,
}


def setting(name: str):
    return {**DEFAULTS, **getattr(settings, "RELATIONSHIP_TRACKER", {})}[name]


def next_interval(checks: int) -> timedelta:
    """Return the wait after the ``checks``-th check: doubling from the first, capped."""
    first = float(setting("FIRST_CHECK_SECONDS"))
    return timedelta(seconds=min(float(setting("MAX_INTERVAL_SECONDS")), first * 2**checks))


def give_up_after() -> timedelta:
    return timedelta(days=float(setting("GIVE_UP_AFTER_DAYS")))
