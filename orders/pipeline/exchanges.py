"""Keep every request sent upstream for an order, and what came back, for support.

The answer is stored as the marketplace sent it (its JSON, or its text when it
was not JSON), after ``redacted``: the one function that takes secrets out of
anything stored here, and bounds its size.
"""

import dataclasses
import json
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from marketplace.exceptions import MarketplaceError
from marketplace.session import last_correlation_id, last_response

from ..models import UpstreamExchange

#: Values under keys containing these words never reach the database.
SECRET_WORDS = ("password", "secret", "token", "key", "authorization")
#: A parameter ({"name": ..., "value": ...}) whose name contains one of these is a secret:
#: a new tenant's ``admin_temporary_password`` in a subscription's fulfillmentParameters.
SECRET_PARAMETER_WORDS = ("password", "secret", "token")
#: Where a named parameter keeps its value.
PARAMETER_VALUE_KEYS = ("value", "structuredValue", "structured_value")
REDACTED = "[redacted]"
#: The exchanges of a batch, kept in memory and written together (``exchanges_batched``).
_batch: ContextVar[list | None] = ContextVar("upstream_exchanges_batch", default=None)
#: A stored body is cut to this many characters of JSON; support sees that it was.
MAX_BODY_CHARS = 32_000
#: Secrets inside a text body (an HTML page, a JSON that did not parse): "password": "…",
#: password=…, Bearer ….
_TEXT_SECRETS = re.compile(
    r"""(?ix)
    (?P<quoted>"[^"]*(?:password|secret|token|authorization)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"
    | (?P<pair>\b\w*(?:password|secret|token)\w*=)[^&\s"'<]+
    | (?P<bearer>\bbearer\s+)[\w.~+/=-]+
    """
)


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


def redacted(value, *, limit: int = MAX_BODY_CHARS):
    """Return ``value`` as plain JSON with every secret replaced, cut to ``limit`` characters.

    Secrets: the value under any key naming a password, secret, token, key or
    authorization (a customer's ``password``, a token answer); the value of a
    parameter whose name says password, secret or token (a new tenant's
    ``admin_temporary_password`` in fulfillmentParameters); the same inside text
    bodies. Text comes back as ``{"text": ...}``; a body longer than ``limit`` as
    ``{"truncated": true, ...}`` with its beginning and its full size.
    """
    if value is None:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    if isinstance(value, str):
        value = {"text": _redact_text(value)}
    else:
        value = _redact(json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str)))
    return _bounded(value, limit)


def _redact(value):
    if isinstance(value, dict):
        return _redact_named_parameter(
            {
                key: REDACTED if _is_secret_key(key) and item is not None else _redact(item)
                for key, item in value.items()
            }
        )
    if isinstance(value, list):
        return [_redact(item) for item in value]
    if isinstance(value, str):
        return _redact_text(value)
    return value


def _is_secret_key(key) -> bool:
    key = str(key).lower()
    return any(word in key for word in SECRET_WORDS)


def _redact_named_parameter(item: dict) -> dict:
    """Parameters are {"name": ..., "value": ...}: redact the value of a secret-named one."""
    name = str(item.get("name", "")).lower()
    if not any(word in name for word in SECRET_PARAMETER_WORDS):
        return item
    return {
        key: REDACTED if key in PARAMETER_VALUE_KEYS and value is not None else value
        for key, value in item.items()
    }


def _redact_text(text: str) -> str:
    return _TEXT_SECRETS.sub(
        lambda m: (
            (m.group("quoted") or m.group("pair") or m.group("bearer"))
            + (f'"{REDACTED}"' if m.group("quoted") else REDACTED)
        ),
        text,
    )


def _bounded(value, limit: int):
    serialised = json.dumps(value, ensure_ascii=False)
    if len(serialised) <= limit:
        return value
    return {
        "truncated": True,
        "note": (
            f"The body was {len(serialised):,} characters of JSON; only the first "
            f"{limit:,} are kept."
        ),
        "size": len(serialised),
        "head": serialised[:limit],
    }
