"""The upstream request budget of a connection, shared by every worker through the cache.

The marketplace's quota is a time window per subscription key (README §1.7),
so polling takes its requests from a per-minute counter per connection. A 429's
Retry-After pauses the whole connection (``customers.connection_pause``, offered
here too for the pipeline).
"""

import time

from django.core.cache import cache

from customers.connection_pause import ConnectionPause, pause_connection, paused_until

from .conf import setting

__all__ = ["ConnectionPause", "budget_take", "budget_used", "pause_connection", "paused_until"]

WINDOW_SECONDS = 60


def _window_key(connection_id) -> str:
    return f"orders:poll-budget:{connection_id}:{int(time.time() // WINDOW_SECONDS)}"


def budget_take(connection_id, wanted: int, *, whole: bool = False) -> int:
    """Take up to ``wanted`` requests from this minute's budget; return how many were granted.

    With ``whole``, all of them or none.
    """
    if wanted <= 0:
        return 0
    limit = int(setting("POLL_REQUESTS_PER_MINUTE"))
    key = _window_key(connection_id)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    used = cache.incr(key, wanted)
    granted = max(0, min(wanted, limit - (used - wanted)))
    if whole and granted < wanted:
        granted = 0
    if granted < wanted:
        cache.decr(key, wanted - granted)
    return granted


def budget_used(connection_id) -> int:
    return int(cache.get(_window_key(connection_id)) or 0)
