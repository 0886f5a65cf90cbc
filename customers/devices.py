"""Two-factor devices whose secrets are stored encrypted (django-otp keeps them in clear).

django-otp's ``TOTPDevice`` stores the authenticator's key as plain hex and its
``StaticToken`` the recovery codes as plain text. These are django-otp devices of our own
(``Device`` with its throttling and timestamps, as its plugins are built), whose key and
codes are ``EncryptedCharField``s: Fernet with the key derived from ``DJANGO_SECRET_KEY``
and ``FIELD_ENCRYPTION_SALT``, like every other stored secret, so ``rotate_field_key``
re-encrypts them too (docs/operations.md). django-otp finds them as it finds its own
plugins' devices: session verification, ``user_has_device`` and the rest work unchanged.

Recovery codes are encrypted rather than hashed: each holds 40 random bits, which an
unkeyed hash would give up to a brute force of a stolen dump, and a slow password hash
would make each recovery sign-in check up to ten of them.
"""

import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP
from django_otp.util import hex_validator, random_hex
from encrypted_fields.fields import EncryptedCharField


def authenticator_key_new() -> str:
    """Return a new authenticator secret: 20 random bytes in hex (RFC 4226's length)."""
    return random_hex(20)


def authenticator_key_validator(value):
    hex_validator()(value)


class Authenticator(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238): django-otp's ``TOTPDevice`` with its key encrypted."""

    #: The secret shared with the app: hex, up to 40 bytes; stored encrypted.
    key = EncryptedCharField(
        max_length=80, validators=[authenticator_key_validator], default=authenticator_key_new
    )
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    #: The time step of the last accepted code: a code is accepted once.
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        try:
            return unhexlify(self.key.encode())
        except ValueError:  # binascii.Error: the field hands back what no key decrypts as is
            raise ImproperlyConfigured(
                f"The key of authenticator {self.pk} is not decrypted by any configured key: "
                "put the key it was written with in DJANGO_SECRET_KEY_FALLBACKS (or its salt "
                "in FIELD_ENCRYPTION_SALT_FALLBACKS) (docs/operations.md)."
            ) from None

    def get_throttle_factor(self):
        return settings.OTP_TOTP_THROTTLE_FACTOR

    def verify_token(self, token) -> bool:
        """Accept the current code (within ``tolerance`` steps) once, as django-otp's TOTP does."""
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            token = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(token, self.tolerance, self.last_t + 1)
        if not verified:
            self.throttle_increment(commit=True)
            return False
        self.last_t = totp.t()
        self.drift = totp.drift
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    @property
    def config_url(self) -> str:
        """Return the otpauth:// address an authenticator app scans (Google's key URI format)."""
        issuer = settings.OTP_TOTP_ISSUER.replace(":", "")
        label = f"{issuer}:{self.user.get_username()}" if issuer else self.user.get_username()
        params = {
            "secret": b32encode(self.bin_key),
            "algorithm": "SHA1",
            "digits": self.digits,
            "period": self.step,
        }
        query = urlencode(params)
        if issuer:
            query += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{query}"


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A user's recovery codes, each accepted once: django-otp's ``StaticDevice``, encrypted."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self):
        return settings.OTP_STATIC_THROTTLE_FACTOR

    def verify_token(self, token) -> bool:
        """Accept ``token`` if it is one of the codes, and use it up."""
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        # Encrypted values differ on every write, so the codes are compared, not looked up.
        match = next(
            (code for code in self.codes.all() if constant_time_compare(code.code, str(token))),
            None,
        )
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


def recovery_code_new() -> str:
    """Return a new recovery code: 8 characters of base32 (40 random bits), lower case."""
    return b32encode(secrets.token_bytes(5)).decode().lower()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    code = EncryptedCharField(max_length=16)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self):
        return f"recovery code {self.pk} of {self.device}"
