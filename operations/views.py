"""/healthz, /readyz and /metrics: unauthenticated probes, and metrics behind a token."""

import asyncio
import hmac
import logging
import time

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from . import metrics
from .readiness import readiness_checks

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Answer that the process is up: no database, no network."""
    return JsonResponse({"status": "ok"})


#: One process runs the checks at most once per this many seconds and repeats its answer in
#: between: /readyz is unauthenticated, and each run pings the workers and calls the marketplace.
READYZ_REUSE_SECONDS = 2.0
_last_answer: tuple[float, dict, int] | None = None


@never_cache
async def readyz(request):
    """Run every readiness check at once; 200 when all pass, else 503. Only ok/failed shows."""
    global _last_answer
    if _last_answer is not None and time.monotonic() - _last_answer[0] < READYZ_REUSE_SECONDS:
        return JsonResponse(_last_answer[1], status=_last_answer[2])
    checks = readiness_checks()
    results = await asyncio.gather(*(check.get_result() for check in checks.values()))
    answer = {}
    for name, result in zip(checks, results, strict=True):
        if result.error:
            logger.warning("Readiness check %s failed: %s", name, result.error)
        answer[name] = {
            "status": "failed" if result.error else "ok",
            "seconds": round(result.time_taken, 4),
        }
    ready = all(check["status"] == "ok" for check in answer.values())
    body = {"status": "ok" if ready else "failed", "checks": answer}
    _last_answer = (time.monotonic(), body, 200 if ready else 503)
    return JsonResponse(body, status=200 if ready else 503)


@never_cache
def metrics_view(request):
    """Serve the web tier's metrics in Prometheus' text format to a holder of METRICS_TOKEN."""
    if not metrics_token_matches(request.headers.get("Authorization", "")):
        return HttpResponse(
            "Metrics need 'Authorization: Bearer <METRICS_TOKEN>'.\n",
            status=403,
            content_type="text/plain",
        )
    body, content_type = metrics.web_exposition()
    return HttpResponse(body, content_type=content_type)


def metrics_token_matches(authorization: str) -> bool:
    """Return whether the header carries METRICS_TOKEN; nothing matches while it is unset."""
    expected = settings.OPERATIONS["METRICS_TOKEN"]
    scheme, _, given = authorization.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())
