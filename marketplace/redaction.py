"""The one function that takes secrets out of anything kept or logged: ``redacted``.

Upstream bodies stored for support (orders.pipeline.exchanges) and every structured
log line (operations.logs) go through it. It imports nothing of Django's models, so
logging can use it before the apps are loaded.
"""

import dataclasses
import json
import re

from django.core.serializers.json import DjangoJSONEncoder

#: Values under keys containing these words never reach the database.
SECRET_WORDS = ("password", "secret", "token", "key", "authorization")
#: A parameter ({"name": ..., "value": ...}) whose name contains one of these is a secret:
#: a new tenant's ``admin_temporary_password`` in a subscription's fulfillmentParameters.
SECRET_PARAMETER_WORDS = ("password", "secret", "token")
#: Where a named parameter keeps its value.
PARAMETER_VALUE_KEYS = ("value", "structuredValue", "structured_value")
REDACTED = "[redacted]"
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
