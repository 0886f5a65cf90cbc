"""Who is signing in: the client's address, and the page a locked-out person sees.

The address is REMOTE_ADDR unless the operator says the site runs behind
reverse proxies (``TRUSTED_PROXY_COUNT``). Each trusted proxy appends the
address it received the request from to X-Forwarded-For, so the client's
address is the one the outermost trusted proxy appended: the
``TRUSTED_PROXY_COUNT``-th entry from the right. Entries further left were
written by the client and are never believed.
"""

import ipaddress
import math

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from .login_throttle import Pause, request_login_pause

LOCKED_OUT_TEMPLATE = "registration/locked_out.html"


def client_address(request) -> str | None:
    """Return the client's IP address as the operator's proxy setting defines it."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return _valid(remote)
    forwarded = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [item for item in forwarded if item]
    if len(forwarded) < proxies:
        # Fewer hops than proxies: the request did not come through all of them.
        return _valid(remote)
    return _valid(forwarded[-proxies]) or _valid(remote)


def _valid(value) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def lockout_response(request, original_response=None, credentials=None):
    """Render the page that says the sign-in is refused, why, and when to try again.

    A 429 with ``Retry-After`` (seconds) whenever the refusal ends by itself.
    """
    username = get_client_username(request, credentials) or ""
    now = timezone.now()
    pause = request_login_pause(request, credentials)
    if pause is None:  # locked by axes' own count (the pair), as it records it
        pause = Pause("pair", now + get_cool_off(request) if get_cool_off(request) else None)
    retry_after = pause.retry_after(now)
    context = {
        "username": username,
        "reason": pause.reason,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "try_again_at": pause.until,
        "minutes": max(1, math.ceil(retry_after / 60)) if retry_after else None,
        "seconds": retry_after,
        "admin": request.path.startswith("/admin/"),
    }
    response = render(
        request, LOCKED_OUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
