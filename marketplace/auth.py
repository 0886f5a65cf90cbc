"""Bearer tokens from POST /token, kept in a cache every process can share.

A token lives 1500 s upstream. It is cached for its lifetime less a margin, so
it is replaced before it expires; a 401 on a call drops it, and the client
fetches a new one once and repeats the call once.
"""

from __future__ import annotations

import base64
import hashlib
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from .constants import TOKEN_LIFETIME_SECONDS, TOKEN_REFRESH_MARGIN_SECONDS
from .types.boundary import token_parser

#: No token is kept longer than this, whatever lifetime /token claims (1500 s today).
MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600


class TokenCache(Protocol):
    """Where tokens are kept: Django's cache in the product, a dict in a script."""

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl: float) -> None: ...

    def delete(self, key: str) -> None: ...


class MemoryTokenCache:
    """A per-process TokenCache (the default when none is given)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._entries: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            value, expires_at = entry
            if self._clock() >= expires_at:
                del self._entries[key]
                return None
            return value

    def set(self, key, value, ttl):
        with self._lock:
            self._entries[key] = (value, self._clock() + ttl)

    def delete(self, key):
        with self._lock:
            self._entries.pop(key, None)


def token_cache_key(*, base_url: str, marketplace: str, username: str) -> str:
    """Return the cache key of one account's token: no secret goes into it."""
    digest = hashlib.sha256(f"{base_url}|{marketplace}|{username}".encode()).hexdigest()
    return f"marketplace-token:{digest[:32]}"


def basic_auth_header(username: str, password: str) -> str:
    credentials = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {credentials}"


def token_from_api(body: dict) -> tuple[str, object]:
    """Return the token and its claimed lifetime from a /token body of the right shape."""
    return body["token"], body.get("expiresInSeconds")


#: The /token answer's parser: ``{"token": "...", "expiresInSeconds": 1500}``.
TOKEN = token_parser(token_from_api)


def token_ttl(expires_in_seconds, margin: float = TOKEN_REFRESH_MARGIN_SECONDS) -> float:
    """Return how long to keep a token that lives ``expires_in_seconds``.

    A lifetime that is absent, not a number, not finite or not positive counts
    as the documented one; a very long one is capped, so a bad answer never
    becomes a cache lifetime of days or NaN.
    """
    try:
        lifetime = float(expires_in_seconds)
    except (TypeError, ValueError, OverflowError):
        lifetime = TOKEN_LIFETIME_SECONDS
    if not math.isfinite(lifetime) or lifetime <= 0:
        lifetime = TOKEN_LIFETIME_SECONDS
    lifetime = min(lifetime, MAX_TOKEN_LIFETIME_SECONDS)
    margin = margin if math.isfinite(margin) and margin >= 0 else TOKEN_REFRESH_MARGIN_SECONDS
    # A short-lived token (tests) still gets most of its life.
    return max(lifetime - margin, lifetime / 2)
