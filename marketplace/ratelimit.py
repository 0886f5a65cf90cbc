"""A 429 pauses the whole subscription key, not just the call that got it.

The marketplace's quota is a time window per subscription key. When one call
gets a 429 with ``Retry-After``, every process using the key must hold its
requests until the time has passed, or they only draw more 429s (and the
upstream may lengthen the window). The client cannot keep that shared state
itself (it does not touch the database or the cache); the caller hands it a
``RateGate``, e.g. one kept in Redis, and the session asks it before every
request and tells it about every 429.
"""

from __future__ import annotations

from typing import Protocol

from .exceptions import RateLimitError


class RateGate(Protocol):
    def paused_for(self) -> float:
        """Return how many seconds requests on the key must still wait (0: none)."""

    def pause(self, seconds: float) -> None:
        """Hold every request on the key for ``seconds`` from now (never shortens a pause)."""


class ConnectionPaused(RateLimitError):
    """Not sent: the key is paused after a 429 (``retry_after`` seconds remain)."""

    request_sent = False


class NoGate:
    """No shared pause: each call only waits for its own 429s."""

    def paused_for(self) -> float:
        return 0.0

    def pause(self, seconds: float) -> None:
        return None
