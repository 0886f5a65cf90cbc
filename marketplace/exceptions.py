"""The client's exception tree, and the one function that maps a response onto it.

    MarketplaceError
    ├── APIConnectionError      no answer; ``request_sent`` says whether it may have arrived
    ├── APITimeoutError         sent, no answer in time
    ├── OrderOutcomeUnknown     POST /orders may or may not have created the order
    └── APIStatusError          the upstream answered with an error status
        ├── BadRequestError         400
        ├── AuthenticationError     401
        ├── PermissionDeniedError   403
        ├── NotFoundError           404
        ├── RateLimitError          429 (``retry_after`` in seconds, or None)
        ├── InternalServerError     500 with the upstream's error body (may be a business refusal)
        └── GatewayError            502/503/504, or a body that is not JSON (an nginx page)
            └── MalformedResponseError  a success whose JSON is not the documented shape

Every error carries ``message`` (the upstream's ``message`` or ``error`` field),
``status_code`` and ``correlation_id`` (the X-Correlation-ID to quote to the
distributor's support).
"""

import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx


class MarketplaceError(Exception):
    """Base of every error the Marketplace client raises."""

    def __init__(self, message, *, status_code=None, correlation_id=None, body=None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.correlation_id = correlation_id
        self.body = body

    def __str__(self):
        parts = [self.message]
        if self.status_code:
            parts.append(f"HTTP {self.status_code}")
        if self.correlation_id:
            parts.append(f"correlation id {self.correlation_id}")
        return " · ".join(parts)


class APIConnectionError(MarketplaceError):
    """No answer came back.

    ``request_sent`` is False when the connection failed before anything was
    sent (refused, DNS, connect timeout): repeating the call is always safe.
    It is True when the connection dropped after the request went out.
    """

    def __init__(self, message, *, request_sent=False, **kwargs):
        super().__init__(message, **kwargs)
        self.request_sent = request_sent


class APITimeoutError(MarketplaceError):
    """The request was sent and no answer came in time."""


class OrderOutcomeUnknown(MarketplaceError):
    """POST /orders may or may not have created the order upstream.

    Never send the order again before reconciling: look it up with
    ``MarketplaceClient.find_order_by_reference`` using ``reference``.
    """

    def __init__(self, message, *, reference, cause=None, **kwargs):
        super().__init__(message, **kwargs)
        self.reference = reference
        self.cause = cause


class SearchIncomplete(MarketplaceError):
    """A reference search could not cover every order that could be ours: it proves nothing."""

    def __init__(self, message, *, search, **kwargs):
        super().__init__(message, **kwargs)
        self.search = search


class APIStatusError(MarketplaceError):
    """The upstream answered with an error status."""


class BadRequestError(APIStatusError):
    """400: the request was refused, usually naming the field at fault."""


class AuthenticationError(APIStatusError):
    """401: bad credentials, a bad subscription key, or a token that expired."""


class PermissionDeniedError(APIStatusError):
    """403: for example no reseller relationship (20002) or no MCA (13605)."""


class NotFoundError(APIStatusError):
    """404."""


class RateLimitError(APIStatusError):
    """429: the subscription key's request budget is spent for now."""

    def __init__(self, message, *, retry_after=None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class InternalServerError(APIStatusError):
    """500 with the upstream's error body.

    The upstream reports some business refusals this way, such as a second
    change order on a subscription: ``message`` is then meant for the reseller.
    """


class GatewayError(APIStatusError):
    """502, 503, 504, or an answer that is not the upstream's JSON."""


class MalformedResponseError(GatewayError):
    """The upstream answered, but its body is not the shape the API documents.

    Raised by the one parsing boundary (``marketplace.types.boundary.parse_body``)
    before anything is mapped. It is a GatewayError, so it is handled as an
    answer that cannot be used: a read is retried; POST /orders becomes
    ``OrderOutcomeUnknown`` and is reconciled. ``endpoint`` is the call
    ("GET /orders/123") and ``problems`` says what was wrong, field by field.
    """

    def __init__(self, message, *, endpoint, problems=(), **kwargs):
        super().__init__(message, **kwargs)
        self.endpoint = endpoint
        self.problems = tuple(problems)


_STATUS_ERRORS = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
    500: InternalServerError,
    502: GatewayError,
    503: GatewayError,
    504: GatewayError,
}

_TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)


def error_from_response(response: httpx.Response) -> APIStatusError:
    """Return the exception for an error response (or for a success whose body is not JSON)."""
    correlation_id = response.headers.get("X-Correlation-ID")
    body = json_body(response)
    status = response.status_code
    if not isinstance(body, dict):
        return GatewayError(
            _describe_non_json(response),
            status_code=status,
            correlation_id=correlation_id,
            body=response.text[:2000],
        )
    message = _text(body.get("message")) or _text(body.get("error")) or response.reason_phrase
    correlation_id = correlation_id or _text(body.get("correlationId")) or None
    kwargs = {"status_code": status, "correlation_id": correlation_id, "body": body}
    error_class = _STATUS_ERRORS.get(status)
    if error_class is None:
        error_class = GatewayError if status >= 500 else APIStatusError
    if error_class is RateLimitError:
        return RateLimitError(message, retry_after=retry_after_seconds(response), **kwargs)
    return error_class(message, **kwargs)


def json_body(response: httpx.Response):
    """Return the decoded JSON body, or None when the body is not JSON.

    Numbers too long to convert (ValueError) and nesting too deep to decode
    (RecursionError) count as not JSON, like any other undecodable body.
    """
    try:
        return response.json()
    except (ValueError, RecursionError):
        return None


def _text(value) -> str:
    """Return a scalar field of an error body as text; anything else as nothing."""
    if isinstance(value, str):
        return value[:2000]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Return Retry-After in seconds (it may be a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "inf", "nan" or an absurd wait is no usable instruction.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _describe_non_json(response: httpx.Response) -> str:
    title = _TITLE.search(response.text or "")
    what = title.group(1) if title else (response.text or "").strip()[:80] or "an empty body"
    return (
        f"The marketplace gateway answered HTTP {response.status_code} "
        f"without the API's JSON ({what})."
    )
