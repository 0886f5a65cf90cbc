"""The API's one error shape: RFC 9457 problem details, ``application/problem+json``.

Every refusal under /api/ is ``{"type", "title", "status", "detail"}`` and, when
particular inputs are at fault, ``errors``: one item per problem, naming a body
field by JSON pointer (``"pointer": "/lines/0/quantity"``), a query or path
parameter (``"parameter": "limit"``) or a header (``"header": "Idempotency-Key"``),
with the rule's message as ``detail`` and, for order problems, a ``fix``.
"""

import json
import re
from http import HTTPStatus

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_CONTENT_TYPE = "application/problem+json"
#: RFC 9457 §4.2.1: "about:blank" says the problem is what the HTTP status says; "detail"
#: and "errors" tell this occurrence.
PROBLEM_TYPE = "about:blank"

#: The default sentence for a status when nothing more precise is known.
DEFAULT_DETAILS = {
    400: _("The request is malformed; the errors say where."),
    401: _("Send a valid API token: Authorization: Bearer <token>."),
    403: _("This request is not allowed."),
    404: _("Nothing is here."),
    405: _("This endpoint does not take this method."),
    409: _("The request conflicts with what already exists."),
    413: _("The request body is too large."),
    415: _("Send the body as JSON (Content-Type: application/json)."),
    422: _("The request is well formed but cannot be carried out; the errors say why."),
    429: _("Too many requests; wait for the number of seconds in Retry-After."),
    500: _("Something went wrong on our side; it has been logged. Try again later."),
}
#: The title of each status the API answers with, in the client's language (Accept-Language);
#: any other status keeps its English reason phrase.
TITLES = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    405: _("Method Not Allowed"),
    409: _("Conflict"),
    413: _("Content Too Large"),
    415: _("Unsupported Media Type"),
    422: _("Unprocessable Content"),
    429: _("Too Many Requests"),
    500: _("Internal Server Error"),
}

_INDEX = re.compile(r"\[(\d+)\]")


class ApiError(Exception):
    """A request the API refuses, with a status, a sentence and any per-input errors."""

    def __init__(self, status: int, detail: str | None = None, *, errors=(), headers=None):
        self.status = status
        self.detail = detail or DEFAULT_DETAILS.get(status, HTTPStatus(status).phrase)
        self.errors = list(errors)
        self.headers = headers or {}
        super().__init__(f"{status}: {self.detail}")


def field_error(path: str, detail: str, *, fix: str | None = None) -> dict:
    """Return an error item for the body field at dotted ``path`` ("lines[0].quantity")."""
    item = {"pointer": json_pointer(path), "detail": detail}
    if fix:
        item["fix"] = fix
    return item


def json_pointer(path) -> str:
    """Return the RFC 6901 pointer of a dotted path or a sequence of keys ("" is the body)."""
    if isinstance(path, str):
        parts = [p for p in _INDEX.sub(r".\1", path).split(".") if p]
    else:
        parts = [str(p) for p in path]
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in parts)


def problem_body(status: int, detail: str | None = None, *, errors=(), instance=None) -> dict:
    title = TITLES.get(status, HTTPStatus(status).phrase)
    body = {
        "type": PROBLEM_TYPE,
        "title": title,
        "status": status,
        "detail": detail or DEFAULT_DETAILS.get(status, title),
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = list(errors)
    return body


def problem_response(
    status: int, detail: str | None = None, *, errors=(), headers=None, instance=None
) -> HttpResponse:
    """Return a problem+json response."""
    body = problem_body(status, detail, errors=errors, instance=instance)
    return HttpResponse(
        # DjangoJSONEncoder writes a lazily translated text in the language active now.
        json.dumps(body, cls=DjangoJSONEncoder),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        headers=headers,
    )


def error_response(error: ApiError, *, instance=None) -> HttpResponse:
    return problem_response(
        error.status,
        error.detail,
        errors=error.errors,
        headers=error.headers,
        instance=instance,
    )
