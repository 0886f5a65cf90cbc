"""Signing in with both factors in tests, and with the password only where that is the point.

``verified_login`` is the test client's ``force_login`` for every test (tests/conftest.py
installs it): the session is signed in and carries the user's authenticator as django-otp's
``otp_login`` leaves it after a right code, so tests of other pages meet the site as a user
who gave their code. The code step itself is tested through its pages in
tests/customers/test_two_factor*.py, which sign in with ``password_only_login``.
"""

import base64
import time

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from customers.devices import Authenticator

password_only_login = Client.force_login


def authenticator(user) -> Authenticator:
    """Return ``user``'s confirmed authenticator, enrolled now if they had none."""
    device = Authenticator.objects.filter(user=user, confirmed=True).first()
    return device or Authenticator.objects.create(user=user, name="authenticator", confirmed=True)


def verified_login(client, user, backend=None):
    """Sign ``client`` in as ``user`` with the code step done (a session django-otp verified)."""
    password_only_login(client, user, backend)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
    session.save()


def current_code(device: Authenticator, *, at: float | None = None) -> str:
    """Return the code ``device``'s authenticator app shows now (or at ``at``)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def next_code(device: Authenticator) -> str:
    """Return a code the device has not accepted yet: the next period's if this one's is used."""
    device.refresh_from_db()
    now = time.time()
    code_now = TOTP(device.bin_key, device.step, device.t0, device.digits)
    code_now.time = now
    if code_now.t() > device.last_t:
        return current_code(device, at=now)
    return current_code(device, at=now + device.step)


def base32_of(device: Authenticator) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")
