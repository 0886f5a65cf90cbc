"""Sessions end after a spell without activity, and in any case some hours after sign-in.

Django's session cookie only knows one age. This middleware keeps two times
in the session, when the user signed in and when they were last active, and
signs them out when either limit (``SESSION_IDLE_SECONDS``,
``SESSION_ABSOLUTE_SECONDS``) has passed. Requests a page makes on its own
(an order timeline refreshing itself) carry ``X-Background-Refresh`` and do
not count as activity. Signing out keeps the wizard's draft: it is stored
per user (wizard/drafts.py), and is there again after the next sign-in.
"""

import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "session:signed_in_at"
ACTIVE_AT = "session:active_at"
#: Activity is written back at most this often, so each request does not save the session.
ACTIVITY_RESOLUTION_SECONDS = 30
BACKGROUND_HEADER = "HTTP_X_BACKGROUND_REFRESH"


@receiver(user_logged_in, dispatch_uid="session-limits-signed-in")
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        _start(request.session, now=time.time())


def _start(session, *, now: float) -> None:
    """Record the sign-in and pin the session's expiry (cookie and store) to its absolute end.

    A fixed expiry date, not an age: Django renews an age on every save, which would
    carry the cookie 12 hours past the last activity instead of the sign-in.
    """
    session[SIGNED_IN_AT] = now
    session[ACTIVE_AT] = now
    session.set_expiry(datetime.fromtimestamp(now + settings.SESSION_ABSOLUTE_SECONDS, tz=UTC))


def session_expiry(session, *, now: float) -> str | None:
    """Return why the session has ended ("idle" or "absolute"), or None while it holds."""
    signed_in = _seconds(session.get(SIGNED_IN_AT))
    active = _seconds(session.get(ACTIVE_AT))
    if signed_in is None or active is None:
        return None
    if now - signed_in >= settings.SESSION_ABSOLUTE_SECONDS:
        return "absolute"
    if now - active >= settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


def _seconds(value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session = request.session
        now = time.time()
        if SIGNED_IN_AT not in session:
            # Signed in before these limits existed, or by a path that sent no signal.
            _start(session, now=now)
            return
        reason = session_expiry(session, now=now)
        if reason is not None:
            logout(request)
            messages.info(request, _signed_out_message(reason))
            return
        if request.META.get(BACKGROUND_HEADER):
            return
        if now - (_seconds(session.get(ACTIVE_AT)) or 0) >= ACTIVITY_RESOLUTION_SECONDS:
            session[ACTIVE_AT] = now


def _signed_out_message(reason: str) -> str:
    if reason == "idle":
        minutes = round(settings.SESSION_IDLE_SECONDS / 60)
        why = f"after {minutes} minutes without activity"
    else:
        hours = round(settings.SESSION_ABSOLUTE_SECONDS / 3600, 1)
        why = f"{hours:g} hours after you signed in"
    return (
        f"You were signed out {why}, to keep your account safe. "
        "Sign in again to carry on: an order you were building is kept where you left it."
    )
