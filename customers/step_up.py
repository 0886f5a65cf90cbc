"""The code step in front of pages: site-wide for those who need it, and before secrets for all.

``two_factor_redirect`` sends a user to give a code (or, with no authenticator yet, to set
one up) and back to where they were going. The middleware (``customers.middleware``) uses
it for every page of a user who must give a code at sign-in; ``step_up_required`` for the
pages that show or make a secret (View password, webhook signing secrets), whoever opens them.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .two_factor import is_enrolled

STEP_UP_MESSAGE = _("Enter a code from your authenticator app to open this page.")


def two_factor_redirect(request, *, next_url: str | None = None):
    """Return a redirect to the code step (or to enrolment), coming back to ``next_url``."""
    if next_url is None:
        next_url = request.get_full_path() if request.method == "GET" else request.path
    name = "two_factor_verify" if is_enrolled(request.user) else "two_factor_enrol"
    url = f"{reverse(name)}?{urlencode({'next': next_url})}"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def step_up_required(view):
    """Let only a user who gave a code in this session through to ``view``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_verified():
            messages.info(request, STEP_UP_MESSAGE)
            return two_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped
