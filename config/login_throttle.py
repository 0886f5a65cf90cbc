"""Sign-in throttles beyond django-axes' lock of one username from one address.

django-axes locks a (username, address) pair after ``AXES_FAILURE_LIMIT`` wrong
passwords. Spraying gets around that pair: many addresses guessing at one
username, or one address guessing at many usernames. Axes counts every
failure it records (``AccessAttempt``: per username, address and browser); this
module reads those counts over the cool-off window and adds two rules, enforced
through a handler that axes asks before it checks any password:

- per username, across all addresses: after ``LOGIN_USERNAME_SLOWDOWN_AFTER``
  failures the account is **slowed, not locked**: the next attempt must wait
  30 s after the last failure, doubling with each further failure, at most
  ``LOGIN_USERNAME_MAX_DELAY_SECONDS``. The owner can still sign in after the wait.
- per address, across all usernames: after ``LOGIN_ADDRESS_FAILURE_LIMIT``
  failures the address may not try any username until the cool-off has passed
  since its last failure.

Attempts refused by a throttle check no password and are not counted.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django_otp import user_has_device

FIRST_DELAY_SECONDS = 30


@dataclass(frozen=True)
class Pause:
    """Why sign-in is refused just now ("pair", "username" or "address"), and until when."""

    reason: str
    until: datetime | None  # None: until an administrator clears it

    def retry_after(self, now: datetime) -> int | None:
        """Return the whole seconds to wait (at least 1), or None if only an admin can clear it."""
        if self.until is None:
            return None
        return max(1, math.ceil((self.until - now).total_seconds()))


def _failures(attempts, since) -> tuple[int, datetime | None]:
    totals = attempts.filter(attempt_time__gte=since).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    return totals["failures"] or 0, totals["last"]


def username_delay(failures: int) -> timedelta | None:
    """Return how long after its last failure a username must wait, or None (no wait)."""
    after = settings.LOGIN_USERNAME_SLOWDOWN_AFTER
    if failures < after:
        return None
    seconds = FIRST_DELAY_SECONDS * 2 ** min(failures - after, 20)
    return timedelta(seconds=min(seconds, settings.LOGIN_USERNAME_MAX_DELAY_SECONDS))


def login_pause(*, username: str | None, ip_address: str | None, now=None, request=None):
    """Return the ``Pause`` that refuses this sign-in now, or None when it may go ahead."""
    now = now or timezone.now()
    cool_off = get_cool_off(request)
    since = now - cool_off if cool_off else datetime.min.replace(tzinfo=now.tzinfo)
    pauses = []
    if username:
        failures, last = _failures(AccessAttempt.objects.filter(username=username), since)
        pair, pair_last = _failures(
            AccessAttempt.objects.filter(username=username, ip_address=ip_address), since
        )
        if pair >= settings.AXES_FAILURE_LIMIT:
            pauses.append(Pause("pair", pair_last + cool_off if cool_off else None))
        delay = username_delay(failures)
        if delay is not None and last + delay > now:
            pauses.append(Pause("username", last + delay))
    if ip_address:
        failures, last = _failures(AccessAttempt.objects.filter(ip_address=ip_address), since)
        if failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            pauses.append(Pause("address", last + cool_off if cool_off else None))
    pauses = [p for p in pauses if p.until is None or p.until > now]
    if not pauses:
        return None
    return max(pauses, key=lambda p: p.until or datetime.max.replace(tzinfo=now.tzinfo))


def request_login_pause(request, credentials=None) -> Pause | None:
    """Return the ``Pause`` for the sign-in ``request`` makes (axes' address and username)."""
    return login_pause(
        username=get_client_username(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
        request=request,
    )


class ThrottlingHandler(AxesDatabaseHandler):
    """Axes' database handler, also refusing what the username and address throttles pause."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        pause = request_login_pause(request, credentials)
        return pause is not None and pause.reason != "pair"

    def user_logged_in(self, sender, request, user, **kwargs):
        """Record the sign-in; clear the failures only once the code step is done too.

        A user with an authenticator whom a password alone signed in (the admin's login
        page) still owes a code: their wrong codes so far must keep counting, or signing in
        again with the password would clear them between guesses.
        """
        request.axes_code_owed = user_has_device(user) and not hasattr(user, "otp_device")
        super().user_logged_in(sender, request, user, **kwargs)

    def reset_user_attempts(self, request, credentials=None) -> int:
        if getattr(request, "axes_code_owed", False):
            return 0
        return super().reset_user_attempts(request, credentials)
