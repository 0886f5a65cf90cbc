"""The timed request log: every API request with when it started and ended, and how it ended.

Tests read it at ``GET /_simulator/requests`` to prove timing properties the
counters cannot, e.g. that no request on a key started while a Retry-After it
had been given was still running. It wraps the whole app (outside the scripted
failures), so a late answer's end time includes the delay and a dropped
connection is logged with no status. Real clocks (epoch and monotonic), not the
simulated one. The subscription key is logged as a fingerprint, never as itself.
Bounded: the oldest entries go first; ``dropped`` says how many went.
"""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from collections import deque

from .wsgi import api_path

#: Entries kept; a reader that pages with the cursor while a run goes on misses none.
DEFAULT_SIZE = 50_000


def key_fingerprint(key: str | None) -> str | None:
    """Return a short, stable stand-in for a subscription key (the key itself is a secret)."""
    if not key:
        return None
    return hashlib.sha256(key.encode()).hexdigest()[:12]


class RequestLog:
    def __init__(self, size: int = DEFAULT_SIZE):
        self._lock = threading.Lock()
        self._entries: deque[dict] = deque(maxlen=size)
        self._ids = itertools.count(1)
        self._dropped = 0

    def start(self, method: str, path: str, key: str | None, agent: str | None = None) -> dict:
        return {
            "method": method,
            "path": path,
            "keyFingerprint": key_fingerprint(key),
            "userAgent": agent,
            "startedAt": time.time(),
            "startedMonotonic": time.monotonic(),
        }

    def finish(self, entry: dict, status: int | None, retry_after: str | None) -> None:
        entry["endedAt"] = time.time()
        entry["endedMonotonic"] = time.monotonic()
        entry["status"] = status
        entry["retryAfter"] = retry_after
        with self._lock:
            entry["seq"] = next(self._ids)
            if len(self._entries) == self._entries.maxlen:
                self._dropped += 1
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._dropped = 0

    def read(self, since: int = 0, limit: int = 10_000) -> dict:
        """Return entries whose ``seq`` is above ``since`` (oldest first) and the next cursor."""
        with self._lock:
            entries = [e for e in self._entries if e["seq"] > since][:limit]
            dropped = self._dropped
        return {
            "requests": entries,
            "next": entries[-1]["seq"] if entries else since,
            "dropped": dropped,
        }


class RequestLogMiddleware:
    """Log each API request (not /_simulator/) once it has been answered, dropped or failed."""

    def __init__(self, app, log: RequestLog):
        self.app = app
        self.log = log

    def __call__(self, environ, start_response):
        path = api_path(environ.get("PATH_INFO", ""))
        if path is None:
            return self.app(environ, start_response)
        entry = self.log.start(
            environ.get("REQUEST_METHOD", ""),
            path,
            environ.get("HTTP_X_SUBSCRIPTION_KEY"),
            environ.get("HTTP_USER_AGENT"),
        )
        answer = {"status": None, "retry_after": None}

        def recording_start_response(status, headers, exc_info=None):
            answer["status"] = int(str(status).split(" ", 1)[0])
            for name, value in headers:
                if name.lower() == "retry-after":
                    answer["retry_after"] = value
            if exc_info is None:
                return start_response(status, headers)
            return start_response(status, headers, exc_info)

        try:
            # FailureMiddleware answers with a list, so the body is complete when this returns.
            return self.app(environ, recording_start_response)
        finally:
            self.log.finish(entry, answer["status"], answer["retry_after"])
