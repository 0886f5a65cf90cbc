"""Keep every request sent upstream for an order, and what came back, for support."""

import dataclasses
import json
import time
from contextlib import contextmanager

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from marketplace.exceptions import MarketplaceError
from marketplace.session import last_correlation_id

from ..models import UpstreamExchange

#: Values under keys containing these words never reach the database.
SECRET_WORDS = ("password", "secret", "token", "key")
REDACTED = "[redacted]"


class Exchange:
    """What the caller learned from one upstream call; filled in inside ``recorded``."""

    def __init__(self):
        self.response_body = None
        self.status_code = None

    def answered(self, body, status_code=200):
        self.response_body = json_safe(body)
        self.status_code = status_code


@contextmanager
def recorded(order, operation: str, method: str, path: str, request_body=None):
    """Record the call made inside the block as an ``UpstreamExchange`` of ``order``."""
    exchange = Exchange()
    started_at = timezone.now()
    started = time.monotonic()
    error = ""
    correlation_id = ""
    last_correlation_id.set("")
    try:
        yield exchange
    except MarketplaceError as exc:
        error = f"{type(exc).__name__}: {exc.message}"
        exchange.status_code = exc.status_code
        exchange.response_body = json_safe(exc.body) if exc.body is not None else None
        correlation_id = exc.correlation_id or ""
        raise
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        UpstreamExchange.objects.create(
            order=order,
            operation=operation,
            method=method,
            path=path,
            request_body=json_safe(request_body),
            status_code=exchange.status_code,
            response_body=exchange.response_body,
            error=error,
            correlation_id=correlation_id or last_correlation_id.get(),
            started_at=started_at,
            duration_ms=int((time.monotonic() - started) * 1000),
        )


def json_safe(value):
    """Return ``value`` (dataclasses, decimals, dates…) as plain JSON, with secrets redacted."""
    if value is None:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, bytes | str) and not isinstance(value, dict):
        return {"text": value.decode(errors="replace") if isinstance(value, bytes) else value}
    return _redact(json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str)))


def _redact(value):
    if isinstance(value, dict):
        redacted = {}
        for key, item in value.items():
            secret = any(word in str(key).lower() for word in SECRET_WORDS)
            if isinstance(item, dict | list) or not secret or str(key) == "name":
                redacted[key] = _redact(item)
            else:
                redacted[key] = REDACTED
        return _redact_named_parameter(redacted)
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return value


def _redact_named_parameter(item: dict) -> dict:
    """Parameters are {"name": ..., "value": ...}: redact the value of a secret-named one."""
    name = str(item.get("name", "")).lower()
    if "value" in item and any(word in name for word in ("password", "secret")):
        return {**item, "value": REDACTED}
    return item
