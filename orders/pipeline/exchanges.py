"""Keep every request sent upstream for an order, and what came back, for support.

The answer is stored as the marketplace sent it (its JSON, or its text when it
was not JSON), after ``redacted`` (marketplace.redaction): the one function that
takes secrets out of anything stored or logged, and bounds its size.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

from marketplace.exceptions import MarketplaceError
from marketplace.redaction import redacted
from marketplace.session import last_correlation_id, last_response

from ..models import UpstreamExchange

#: The exchanges of a batch, kept in memory and written together (``exchanges_batched``).
_batch: ContextVar[list | None] = ContextVar("upstream_exchanges_batch", default=None)


class Exchange:
    """What the caller learned from one upstream call; filled in inside ``recorded``.

    Without ``answered``, the exchange stores the last answer the marketplace sent
    inside the block; ``answered`` replaces it with the caller's own record (a search
    of many pages records what it covered).
    """

    def __init__(self):
        self.response_body = None
        self.status_code = None
        self.own_record = False

    def answered(self, body, status_code=200):
        self.response_body = redacted(body)
        self.status_code = status_code
        self.own_record = True


@contextmanager
def recorded(order, operation: str, method: str, path: str, request_body=None):
    """Record the call made inside the block as an ``UpstreamExchange`` of ``order``."""
    exchange = Exchange()
    started_at = timezone.now()
    started = time.monotonic()
    error = ""
    correlation_id = ""
    last_correlation_id.set("")
    last_response.set(None)
    try:
        yield exchange
    except MarketplaceError as exc:
        error = f"{type(exc).__name__}: {exc.message}"
        exchange.status_code = exc.status_code
        exchange.response_body = redacted(exc.body) if exc.body is not None else None
        # The failed call's own answer, or none: never an earlier one (a token fetch).
        exchange.own_record = True
        correlation_id = exc.correlation_id or ""
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        exchange.own_record = True
        raise
    finally:
        answer = last_response.get()
        if answer is not None and not exchange.own_record:
            exchange.status_code, raw = answer
            exchange.response_body = redacted(raw)
        exchanges_keep(
            UpstreamExchange(
                order=order,
                operation=operation,
                method=method,
                path=path,
                request_body=redacted(request_body),
                status_code=exchange.status_code,
                response_body=exchange.response_body,
                error=error,
                # A failed call's id is its own error's (a timeout has none), never an
                # earlier one's.
                correlation_id=correlation_id if error else last_correlation_id.get(),
                started_at=started_at,
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        )


def exchanges_keep(*exchanges: UpstreamExchange) -> None:
    """Store ``exchanges`` now, or with their batch's when one is open."""
    batch = _batch.get()
    if batch is not None:
        batch.extend(exchanges)
    else:
        UpstreamExchange.objects.bulk_create(exchanges)


@contextmanager
def exchanges_batched():
    """Keep the exchanges recorded inside the block in memory; write them in one INSERT at
    the end, whatever happened inside (a batch of completions made one INSERT per call)."""
    if _batch.get() is not None:
        yield
        return
    token = _batch.set([])
    try:
        yield
    finally:
        batch = _batch.get()
        _batch.reset(token)
        if batch:
            UpstreamExchange.objects.bulk_create(batch)
