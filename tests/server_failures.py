"""What counts as the server failing, for the tests that sweep every route (crawl, fuzz)."""

from urllib.parse import urlsplit

#: The readiness probe answers 503 by design while a dependency is down (in those tests no
#: Celery worker or beat runs): a load balancer reads the status, so it is the probe's answer,
#: not a failure. Its own tests (tests/operations) check when it is 200 and when 503.
READINESS_PATH = "/readyz"


def server_failed(path: str, status: int) -> bool:
    """Return whether ``status`` for ``path`` is the server failing (a 5xx it did not mean)."""
    if status == 503 and urlsplit(path).path == READINESS_PATH:
        return False
    return status >= 500
