"""Two-factor sign-in: who needs it, enrolling an authenticator, recovery codes, the admin's reset.

A user's authenticator is an ``Authenticator`` (named ``authenticator``); their recovery
codes are the codes of one ``RecoveryCodes`` device (named ``recovery``), each usable once.
Both are django-otp devices whose secrets are stored encrypted (``customers.devices``).
The password step and the code step are checked here; the pages are in
``customers/views/two_factor.py`` and the site-wide gate in ``customers.middleware``.
"""

import math
from base64 import b32decode, b32encode
from binascii import hexlify, unhexlify

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .devices import Authenticator, RecoveryCode, RecoveryCodes, recovery_code_new
from .models import TwoFactorReset, User

AUTHENTICATOR = "authenticator"
RECOVERY = "recovery"


def two_factor_required(user: User) -> bool:
    """Return True if ``user`` may open no page before giving a code.

    Admins and support always; reseller staff when their reseller requires it; end
    customers never (they may enrol, and must before revealing a stored password).
    """
    if user.is_superuser or user.is_staff or user.role in (User.Role.ADMIN, User.Role.SUPPORT):
        return True
    if user.role == User.Role.RESELLER_STAFF and user.reseller_id:
        return user.reseller.two_factor_required
    return False


def authenticator_of(user: User, *, confirmed: bool = True) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def is_enrolled(user: User) -> bool:
    """Return True if ``user`` has a confirmed authenticator (so the sign-in asks for a code)."""
    return Authenticator.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__name=RECOVERY).count()


def enrolment_start(*, user: User) -> Authenticator:
    """Return the unconfirmed authenticator ``user`` is setting up, made with a new secret."""
    device = authenticator_of(user, confirmed=False)
    return device or Authenticator.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def enrolment_confirm(*, device: Authenticator, token: str) -> bool:
    """Confirm ``device`` if ``token`` is its current code; return whether it was."""
    if device.confirmed or not device.verify_token(token.strip().replace(" ", "")):
        return False
    with transaction.atomic():
        Authenticator.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def recovery_codes_issue(*, user: User) -> list[str]:
    """Replace ``user``'s recovery codes with new ones and return them (shown once)."""
    with transaction.atomic():
        device, _ = RecoveryCodes.objects.get_or_create(
            user=user, name=RECOVERY, defaults={"confirmed": True}
        )
        device.codes.all().delete()
        codes = [recovery_code_new() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
        RecoveryCode.objects.bulk_create(RecoveryCode(device=device, code=c) for c in codes)
    return codes


def recovery_codes_of(user: User) -> list[str]:
    """Return ``user``'s unused recovery codes, decrypted (to show them right after issuing)."""
    return list(
        RecoveryCode.objects.filter(device__user=user, device__name=RECOVERY)
        .order_by("pk")
        .values_list("code", flat=True)
    )


def code_verify(*, user: User, code: str):
    """Return the device that accepts ``code`` (an authenticator code or a recovery code), or None.

    Each device counts its own wrong codes and refuses to check another for 2^n seconds
    after n of them in a row (django-otp's throttling); ``verify_wait`` tells how long.
    """
    code = code.strip().replace(" ", "").replace("-", "").lower()
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit() and len(code) == 6:
            devices = Authenticator.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            devices = RecoveryCodes.objects.select_for_update().filter(user=user, name=RECOVERY)
        for device in devices:
            if device.verify_token(code):
                return device
    return None


def verify_wait(user: User) -> int:
    """Return the seconds until a wrong-code pause of ``user``'s devices ends (0: none)."""
    now, waits = timezone.now(), [0]
    devices = [
        *Authenticator.objects.filter(user=user, confirmed=True),
        *RecoveryCodes.objects.filter(user=user, name=RECOVERY),
    ]
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(math.ceil((data["locked_until"] - now).total_seconds()))
    return max(waits)


def two_factor_reset(*, user: User, by: User, reason: str) -> TwoFactorReset:
    """Remove every two-factor device of ``user`` (a lost phone) and record who did it and why.

    The user's signed-in sessions lose their verification at once (the device they were
    verified with is gone); at the next sign-in they enrol again.
    """
    with transaction.atomic():
        removed = sum(
            model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
            for model in (Authenticator, RecoveryCodes)
        )
        return TwoFactorReset.objects.create(
            user=user, reset_by=by, reason=reason.strip(), devices_removed=removed
        )


def secret_text(device: Authenticator) -> str:
    """Return the device's secret in base32, in groups of four, to type into an app."""
    plain = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(plain[i : i + 4] for i in range(0, len(plain), 4))


def secret_hex(base32_secret: str) -> str:
    """Return django-otp's hex key for a base32 secret (as an authenticator shows it)."""
    plain = base32_secret.replace(" ", "").upper()
    return hexlify(b32decode(plain + "=" * (-len(plain) % 8))).decode()


def qr_svg(device: Authenticator) -> str:
    """Return the device's otpauth:// address as an inline SVG QR code."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=2, dark="#000", light="#fff")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator" ', 1)


def enrol_with_secret(*, user: User, base32_secret: str) -> Authenticator:
    """Enrol ``user`` with a known secret (the demo's logins); replace any authenticator."""
    key = secret_hex(base32_secret)
    unhexlify(key)  # a malformed secret fails here, before anything is deleted
    with transaction.atomic():
        # The stored keys are encrypted (a new ciphertext each time): compare them decrypted.
        devices = Authenticator.objects.select_for_update().filter(user=user, confirmed=True)
        device = next((device for device in devices if device.key == key), None)
        if device is None:
            Authenticator.objects.filter(user=user).delete()
            device = Authenticator.objects.create(user=user, name=AUTHENTICATOR, key=key)
    return device
