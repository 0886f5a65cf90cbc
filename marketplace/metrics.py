"""Counters of the calls this process made to the marketplace (Prometheus, prometheus-client).

Each process counts its own calls; operations.metrics says where they are served.
"""

import re

from prometheus_client import Counter

UPSTREAM_REQUESTS = Counter(
    "nce_upstream_requests",
    "Calls to the marketplace API by endpoint and HTTP status (or 'error' without an answer).",
    ["endpoint", "status"],
)
UPSTREAM_RATE_LIMITED = Counter(
    "nce_upstream_rate_limited", "429 answers from the marketplace, by endpoint.", ["endpoint"]
)
UPSTREAM_PAUSED_SECONDS = Counter(
    "nce_upstream_paused_seconds",
    "Seconds of pause the marketplace asked for after a 429 (Retry-After), summed.",
)
#: A path segment that names one record (an id, a number, a uuid) becomes {id}: one series
#: per endpoint, not per order.
_RECORD_SEGMENT = re.compile(r"^(?=[^/]*\d)[\w.-]+$")


def endpoint_label(method: str, path: str) -> str:
    """Return ``POST /orders`` or ``GET /orders/{id}``: the call without its record ids."""
    path = path.split("?", 1)[0].strip("/")
    segments = ["{id}" if _RECORD_SEGMENT.match(s) else s for s in path.split("/") if s]
    return f"{method.upper()} /" + "/".join(segments)


def upstream_call_count(*, method: str, path: str, status, retry_after: float | None = None):
    """Count one call; a 429 also counts as rate limited and adds the pause it asked for."""
    endpoint = endpoint_label(method, path)
    UPSTREAM_REQUESTS.labels(endpoint=endpoint, status=str(status)).inc()
    if status == 429:
        UPSTREAM_RATE_LIMITED.labels(endpoint=endpoint).inc()
        if retry_after:
            UPSTREAM_PAUSED_SECONDS.inc(retry_after)
