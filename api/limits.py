"""Rate limits: fixed one-minute windows counted in the shared cache (Redis in production).

A counter is one cache key per (limit, who, minute), raised with ``incr`` and
created with ``add`` by the window's first request: both are single atomic
Redis commands, so every web process counts into the same number and none
overwrites another's count (a read-modify-write of a list of times, as ninja's
and DRF's throttles keep, loses counts when processes race).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .problems import ApiError

WINDOW_SECONDS = 60
DEFAULTS = {
    # Any request with a valid token, per token.
    "REQUESTS_PER_MINUTE": 120,
    # POST /api/v1/orders, per token (counted inside the requests above as well).
    "ORDERS_PER_MINUTE": 10,
    # Requests with a missing or wrong token, per client address.
    "FAILED_AUTH_PER_MINUTE": 10,
    # How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR).
    "TRUSTED_PROXIES": 0,
}


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str
    message: str


REQUESTS = Limit(
    "requests",
    "REQUESTS_PER_MINUTE",
    "This token has made {limit} requests this minute, its limit.",
)
ORDERS = Limit(
    "orders",
    "ORDERS_PER_MINUTE",
    "This token has placed {limit} orders this minute, its limit.",
)
FAILED_AUTH = Limit(
    "failed-auth",
    "FAILED_AUTH_PER_MINUTE",
    "Too many requests from your address had a missing or wrong token ({limit} a minute).",
)


def limit_settings() -> dict:
    return {**DEFAULTS, **getattr(settings, "API_RATE_LIMITS", {})}


def _key(limit: Limit, who: str, window: int) -> str:
    return f"api:limit:{limit.name}:{who}:{window}"


def _window(now: float) -> tuple[int, int]:
    """Return the current window's number and the whole seconds until it ends (at least 1)."""
    window = int(now // WINDOW_SECONDS)
    return window, max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))


def limit_hit(limit: Limit, who: str) -> None:
    """Count one request of ``who`` against ``limit``; raise a 429 ApiError past it."""
    allowed = int(limit_settings()[limit.setting])
    window, retry_after = _window(time.time())
    key = _key(limit, who, window)
    try:
        count = cache.incr(key)  # one round trip while the window's key exists
    except ValueError:  # the first request of the window makes the key
        count = 1 if cache.add(key, 1, timeout=WINDOW_SECONDS * 2) else cache.incr(key)
    if count > allowed:
        raise_limited(limit, allowed, retry_after)


def limit_reached(limit: Limit, who: str) -> None:
    """Raise a 429 ApiError if ``who`` is already past ``limit`` in this window; count nothing."""
    allowed = int(limit_settings()[limit.setting])
    window, retry_after = _window(time.time())
    if (cache.get(_key(limit, who, window)) or 0) >= allowed:
        raise_limited(limit, allowed, retry_after)


def raise_limited(limit: Limit, allowed: int, retry_after: int):
    raise ApiError(
        429,
        limit.message.format(limit=allowed) + f" Try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


def client_address(request) -> str:
    """Return the client's address: REMOTE_ADDR, or the one the trusted proxies saw."""
    proxies = int(limit_settings()["TRUSTED_PROXIES"])
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))][:64]
    return request.META.get("REMOTE_ADDR") or "unknown"
