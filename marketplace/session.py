"""One connection to the Marketplace API: the httpx.Client, the token, errors and retries.

``MarketplaceClient`` builds on this; nothing here knows about resources.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import ssl
import threading
import time
from typing import Any

import httpx
from structlog.contextvars import bind_contextvars

from .auth import (
    TOKEN,
    MemoryTokenCache,
    TokenCache,
    basic_auth_header,
    token_cache_key,
    token_ttl,
)
from .constants import (
    DEFAULT_CONNECT_TIMEOUT,
    RATE_LIMIT_DEFAULT_PAUSE_SECONDS,
    TOKEN_REFRESH_MARGIN_SECONDS,
    USER_AGENT,
)
from .exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    GatewayError,
    MarketplaceError,
    RateLimitError,
    error_from_response,
    json_body,
)
from .metrics import upstream_call_count
from .ratelimit import ConnectionPaused, NoGate, RateGate
from .retry import RetryPolicy
from .types.boundary import malformed_response, parse_body

logger = logging.getLogger("marketplace")

#: The X-Correlation-ID of the last answer received in this context (success or error), so
#: callers that keep a record of their calls (orders.pipeline.exchanges) can store it.
last_correlation_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "last_correlation_id", default=""
)
#: The last answer's status code and body as received (JSON, or the text when not JSON), for
#: the same callers; ``None`` until an answer arrives.
last_response: contextvars.ContextVar[tuple[int, Any] | None] = contextvars.ContextVar(
    "last_response", default=None
)


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """Return the one verifying TLS context all sessions share.

    Loading the CA bundle takes tens of milliseconds; building it per client
    made every marketplace check in a web request that much slower.
    """
    return httpx.create_ssl_context()


class ApiSession:
    """Send authenticated JSON requests and turn every failure into a MarketplaceError."""

    def __init__(
        self,
        *,
        base_url: str,
        marketplace: str,
        username: str,
        password: str,
        subscription_key: str,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
        token_cache: TokenCache | None = None,
        retry_policy: RetryPolicy | None = None,
        token_refresh_margin: float = TOKEN_REFRESH_MARGIN_SECONDS,
        rate_gate: RateGate | None = None,
    ):
        self.rate_gate = rate_gate or NoGate()
        self.base_url = base_url.rstrip("/")
        self.marketplace = marketplace
        self.retry_policy = retry_policy or RetryPolicy()
        self._basic_auth = basic_auth_header(username, password)
        self._token_cache = token_cache if token_cache is not None else MemoryTokenCache()
        self._token_key = token_cache_key(
            base_url=self.base_url, marketplace=marketplace, username=username
        )
        self._token_refresh_margin = token_refresh_margin
        self._token_lock = threading.Lock()
        self._timeout = timeout
        self.transport = transport  # also serves downloads outside the API (report files)
        self._http = httpx.Client(
            base_url=self.base_url + "/",
            timeout=_timeout(timeout),
            transport=transport,
            verify=shared_ssl_context(),
            headers={
                "X-Subscription-Key": subscription_key,
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
        )

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        parse,
        params: dict | None = None,
        json: Any = None,
        timeout: float | None = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one call with the bearer token, retrying what is safe; return the parsed body.

        ``parse`` (a type with ``from_api``, or a parser of
        ``marketplace.types.boundary``) is required: every success body is
        checked for shape and mapped by ``parse_body``, or raises
        ``MalformedResponseError``; a read whose answer is malformed is retried
        like any unusable answer. No call can return the raw JSON.

        A 401 drops the token; a new one is fetched once and the call repeated once.
        """
        if idempotent is None:
            idempotent = method.upper() == "GET"
        params = {k: v for k, v in (params or {}).items() if v is not None and v != ""}

        def send(token):
            return self._send(
                method, path, token=token, params=params, json=json, timeout=timeout, parse=parse
            )

        def attempt():
            token = self.token()
            try:
                return send(token)
            except AuthenticationError:
                self.forget_token(token)
                return send(self.token())

        return self.retry_policy.call(attempt, idempotent=idempotent)

    def token(self) -> str:
        """Return a bearer token, from the cache or fresh from POST /token."""
        token = self._token_cache.get(self._token_key)
        if token:
            return token
        with self._token_lock:
            token = self._token_cache.get(self._token_key)
            if token:
                return token
            return self._fetch_token()

    def forget_token(self, token: str) -> None:
        """Drop ``token`` from the cache, unless another process already replaced it."""
        if self._token_cache.get(self._token_key) == token:
            self._token_cache.delete(self._token_key)

    def _fetch_token(self) -> str:
        try:
            token, lifetime = self._send(
                "POST",
                "token",
                json={"marketplace": self.marketplace},
                headers={"Authorization": self._basic_auth},
                parse=TOKEN,
            )
        except (APITimeoutError, GatewayError) as exc:
            # The call the token was for has not been sent: repeating it is safe.
            raise APIConnectionError(
                f"Could not obtain a marketplace token: {exc.message}",
                request_sent=False,
                status_code=exc.status_code,
                correlation_id=exc.correlation_id,
            ) from exc
        except APIConnectionError as exc:
            exc.request_sent = False
            raise
        ttl = token_ttl(lifetime, self._token_refresh_margin)
        self._token_cache.set(self._token_key, token, ttl)
        return token

    def _send(
        self,
        method: str,
        path: str,
        *,
        parse,
        token: str | None = None,
        params: dict | None = None,
        json: Any = None,
        timeout: float | None = None,
        headers: dict | None = None,
    ) -> Any:
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        wait = self.rate_gate.paused_for()
        if wait > 0:
            raise ConnectionPaused(
                f"Not sent: the marketplace asked for a pause; {wait:.1f} s remain.",
                retry_after=wait,
            )
        started = time.monotonic()
        try:
            response = self._http.request(
                method,
                path,
                params=params or None,
                json=json,
                headers=headers,
                timeout=_timeout(timeout) if timeout else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.HTTPError as exc:
            upstream_call_count(method=method, path=path, status="error")
            raise self._transport_error(exc, method, path, timeout or self._timeout) from exc
        logger.info(
            "marketplace %s /%s -> %s in %.0f ms (correlation id %s)",
            method,
            path,
            response.status_code,
            (time.monotonic() - started) * 1000,
            response.headers.get("X-Correlation-ID", "-"),
        )
        last_correlation_id.set(response.headers.get("X-Correlation-ID", ""))
        if response.headers.get("X-Correlation-ID"):
            # Every log line after this call, in this request or task, names it.
            bind_contextvars(correlation_id=response.headers["X-Correlation-ID"])
        body = json_body(response)
        last_response.set((response.status_code, response.text if body is None else body))
        if response.is_error:
            error = error_from_response(response)
            pause = None
            if isinstance(error, RateLimitError):
                pause = (
                    error.retry_after
                    if error.retry_after is not None
                    else RATE_LIMIT_DEFAULT_PAUSE_SECONDS
                )
                self.rate_gate.pause(pause)
            upstream_call_count(
                method=method, path=path, status=response.status_code, retry_after=pause
            )
            raise error
        upstream_call_count(method=method, path=path, status=response.status_code)
        where = {
            "endpoint": f"{method} /{path}",
            "correlation_id": response.headers.get("X-Correlation-ID"),
            "status_code": response.status_code,
        }
        if body is None:
            # A success without a readable body (null, an HTML page, nothing) is malformed too.
            problem = "body: null" if response.content.strip() == b"null" else "body: not JSON"
            raise malformed_response([problem], body=response.text[:2000], **where)
        return parse_body(body, parse, **where)

    def _transport_error(self, exc, method, path, timeout) -> MarketplaceError:
        where = f"{method} {self.base_url}/{path}"
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
            return APIConnectionError(f"Could not connect to the marketplace ({where}): {exc}")
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.ProxyError):
            return APIConnectionError(f"Could not send {where}: {exc}")
        if isinstance(exc, httpx.TimeoutException):
            return APITimeoutError(f"The marketplace did not answer {where} within {timeout:g} s.")
        return APIConnectionError(
            f"The connection dropped before the marketplace answered {where}.",
            request_sent=True,
        )


def _timeout(seconds: float) -> httpx.Timeout:
    return httpx.Timeout(seconds, connect=min(seconds, DEFAULT_CONNECT_TIMEOUT))
