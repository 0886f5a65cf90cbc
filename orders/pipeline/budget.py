"""The upstream request budget of a connection, shared by every worker through the cache.

The marketplace's quota is a time window per subscription key (README §1.7),
so polling takes its requests from a per-minute counter per connection, and a
429's Retry-After pauses the whole connection, not just the request that got it:
``ConnectionPause`` is the ``marketplace.ratelimit.RateGate`` every client of the
connection asks before each request and tells about each 429, in every worker
process and the web process alike. Nothing goes out on the key before the time.
"""

import time
from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone

from .conf import setting

WINDOW_SECONDS = 60


def _window_key(connection_id) -> str:
    return f"orders:poll-budget:{connection_id}:{int(time.time() // WINDOW_SECONDS)}"


def _pause_key(connection_id) -> str:
    return f"orders:paused:{connection_id}"


def budget_take(connection_id, wanted: int) -> int:
    """Take up to ``wanted`` requests from this minute's budget; return how many were granted."""
    if wanted <= 0:
        return 0
    limit = int(setting("POLL_REQUESTS_PER_MINUTE"))
    key = _window_key(connection_id)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    used = cache.incr(key, wanted)
    granted = max(0, min(wanted, limit - (used - wanted)))
    if granted < wanted:
        cache.decr(key, wanted - granted)
    return granted


def budget_used(connection_id) -> int:
    return int(cache.get(_window_key(connection_id)) or 0)


def pause_connection(connection_id, seconds: float) -> datetime:
    """Hold every request on this connection for ``seconds`` (a Retry-After); return until when."""
    until = timezone.now() + timedelta(seconds=seconds)
    current = paused_until(connection_id)
    if current is not None and current >= until:
        return current
    cache.set(_pause_key(connection_id), until.timestamp(), timeout=max(1, int(seconds) + 2))
    return until


def paused_until(connection_id) -> datetime | None:
    """Return when the connection may be used again, or None if it may be used now."""
    value = cache.get(_pause_key(connection_id))
    if value is None:
        return None
    until = datetime.fromtimestamp(float(value), tz=timezone.get_current_timezone())
    return until if until > timezone.now() else None


class ConnectionPause:
    """The connection's shared pause, as the marketplace client's rate gate."""

    def __init__(self, connection_id):
        self.connection_id = connection_id

    def paused_for(self) -> float:
        value = cache.get(_pause_key(self.connection_id))
        if value is None:
            return 0.0
        return max(0.0, float(value) - time.time())

    def pause(self, seconds: float) -> None:
        pause_connection(self.connection_id, seconds)
