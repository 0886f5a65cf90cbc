"""Rate limits: fixed one-minute windows counted in the shared cache (Redis in production).

A counter is one key per (limit, who, minute), made with ``SET NX EX`` and
raised with ``INCR``: atomic Redis commands, so every web process counts into
the same number and none overwrites another's count (a read-modify-write of a
list of times, as ninja's and DRF's throttles keep, loses counts when
processes race). A request's commands go to Redis in one pipelined round trip.
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


def _redis():
    """Return the Redis client behind the cache, or None when the cache is not Redis."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


def _counts(*, hit: list[str], read: list[str]) -> tuple[list[int], list[int]]:
    """Raise each counter in ``hit`` by one and read those in ``read``, in one round trip.

    Return (the raised counts, the read counts). On Redis the commands go in one
    pipeline; on another cache (development) they are separate calls.
    """
    redis = _redis()
    if redis is None:
        raised = []
        for key in hit:
            if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
                raised.append(1)
            else:
                raised.append(cache.incr(key))
        return raised, [int(cache.get(key) or 0) for key in read]
    pipe = redis.pipeline(transaction=False)
    for key in read:
        pipe.get(cache.make_key(key))
    for key in hit:
        full = cache.make_key(key)
        pipe.set(full, 0, ex=WINDOW_SECONDS * 2, nx=True)
        pipe.incr(full)
    results = pipe.execute()
    return [int(n) for n in results[len(read) + 1 :: 2]], [
        int(v or 0) for v in results[: len(read)]
    ]


def window_hit(limit: Limit, who: str) -> tuple[int, int]:
    """Count one request of ``who`` against ``limit`` in this minute's window.

    Return (the count so far in the window, the seconds until the window ends).
    """
    window, retry_after = _window(time.time())
    [count], _ = _counts(hit=[_key(limit, who, window)], read=[])
    return count, retry_after


def limit_hit(limit: Limit, who: str) -> None:
    """Count one request of ``who`` against ``limit``; raise a 429 ApiError past it."""
    allowed = int(limit_settings()[limit.setting])
    count, retry_after = window_hit(limit, who)
    if count > allowed:
        raise_limited(limit, allowed, retry_after)


def token_request_counted(token_id: str, address: str) -> None:
    """Count a request made with a valid token; raise a 429 ApiError if a limit is past.

    Past the token's requests per minute, or from an address past its failed
    authentications this minute (guessing must not go on behind a valid token).
    """
    config = limit_settings()
    window, retry_after = _window(time.time())
    [count], [failed] = _counts(
        hit=[_key(REQUESTS, token_id, window)], read=[_key(FAILED_AUTH, address, window)]
    )
    failed_allowed = int(config[FAILED_AUTH.setting])
    if failed >= failed_allowed:
        raise_limited(FAILED_AUTH, failed_allowed, retry_after)
    if count > int(config[REQUESTS.setting]):
        raise_limited(REQUESTS, int(config[REQUESTS.setting]), retry_after)


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
