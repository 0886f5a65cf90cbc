"""Fixed one-minute windows counted in the shared cache (Redis in production).

A counter is one key per (limit, who, minute), made with ``SET NX EX`` and
raised with ``INCR``: atomic Redis commands, so every web process counts into
the same number and none overwrites another's count (a read-modify-write of a
list of times, as ninja's and DRF's throttles keep, loses counts when
processes race). A request's commands go to Redis in one pipelined round trip.
The API's limits (api.limits) and the wizard's live checks count here.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Limit:
    name: str
    setting: str
    message: str


def window_key(limit: Limit, who: str, window: int) -> str:
    return f"api:limit:{limit.name}:{who}:{window}"


def current_window(now: float) -> tuple[int, int]:
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


def counts(*, hit: list[str], read: list[str]) -> tuple[list[int], list[int]]:
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
    window, retry_after = current_window(time.time())
    [count], _ = counts(hit=[window_key(limit, who, window)], read=[])
    return count, retry_after
