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
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

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
    """Render the page that says the sign-in is locked, why, and when to try again."""
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    try_again_at = None
    if cool_off:
        last_failure = (
            AccessAttempt.objects.filter(
                username=username, ip_address=getattr(request, "axes_ip_address", None)
            )
            .order_by("-attempt_time")
            .values_list("attempt_time", flat=True)
            .first()
        )
        try_again_at = (last_failure or timezone.now()) + cool_off
    minutes = None
    if try_again_at is not None:
        remaining = (try_again_at - timezone.now()).total_seconds()
        minutes = max(1, math.ceil(remaining / 60))
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "try_again_at": try_again_at,
        "minutes": minutes,
        "admin": request.path.startswith("/admin/"),
    }
    return render(request, LOCKED_OUT_TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
