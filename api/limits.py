"""The API's rate limits, counted in fixed one-minute windows (config.rate_windows)."""

import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from config.rate_windows import Limit, counts, current_window, window_hit, window_key

from .problems import ApiError

DEFAULTS = {
    # Any request with a valid token, per token.
    "REQUESTS_PER_MINUTE": 120,
    # POST /api/v1/orders, per token (counted inside the requests above as well).
    "ORDERS_PER_MINUTE": 10,
    # Requests with a missing or wrong token, per client address.
    "FAILED_AUTH_PER_MINUTE": 10,
    # How many proxies in front of the site append to X-Forwarded-For (0: use REMOTE_ADDR).
    "TRUSTED_PROXIES": 0,
}


REQUESTS = Limit(
    "requests",
    "REQUESTS_PER_MINUTE",
    _("This token has made %(limit)s requests this minute, its limit."),
)
ORDERS = Limit(
    "orders",
    "ORDERS_PER_MINUTE",
    _("This token has placed %(limit)s orders this minute, its limit."),
)
FAILED_AUTH = Limit(
    "failed-auth",
    "FAILED_AUTH_PER_MINUTE",
    _("Too many requests from your address had a missing or wrong token (%(limit)s a minute)."),
)


def limit_settings() -> dict:
    return {**DEFAULTS, **getattr(settings, "API_RATE_LIMITS", {})}


def limit_hit(limit: Limit, who: str) -> None:
    """Count one request of ``who`` against ``limit``; raise a 429 ApiError past it."""
    allowed = int(limit_settings()[limit.setting])
    count, retry_after = window_hit(limit, who)
    if count > allowed:
        raise_limited(limit, allowed, retry_after)


def token_request_counted(token_id: str, address: str) -> None:
    """Count a request made with a valid token; raise a 429 ApiError if a limit is past.

    Past the token's requests per minute, or from an address past its failed
    authentications this minute (guessing must not go on behind a valid token).
    """
    config = limit_settings()
    window, retry_after = current_window(time.time())
    [count], [failed] = counts(
        hit=[window_key(REQUESTS, token_id, window)],
        read=[window_key(FAILED_AUTH, address, window)],
    )
    failed_allowed = int(config[FAILED_AUTH.setting])
    if failed >= failed_allowed:
        raise_limited(FAILED_AUTH, failed_allowed, retry_after)
    if count > int(config[REQUESTS.setting]):
        raise_limited(REQUESTS, int(config[REQUESTS.setting]), retry_after)


def raise_limited(limit: Limit, allowed: int, retry_after: int):
    raise ApiError(
        429,
        _("%(limit)s Try again in %(seconds)s seconds.")
        % {"limit": limit.message % {"limit": allowed}, "seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def client_address(request) -> str:
    """Return the client's address: REMOTE_ADDR, or the one the trusted proxies saw."""
    proxies = int(limit_settings()["TRUSTED_PROXIES"])
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))][:64]
    return request.META.get("REMOTE_ADDR") or "unknown"
