"""Issue, check and revoke API tokens. The secret is returned once and never stored."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ApiToken

#: Every token starts with this, so secret scanners and people can recognise one.
TOKEN_PREFIX = "nce_"
PREFIX_BYTES = 6
SECRET_BYTES = 32
#: last_used_at is written at most this often, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    #: The full token to give the integrator; shown once.
    secret: str


def hash_token(raw: str) -> str:
    # The token carries 256 random bits: a fast hash is enough (no guessing to slow down).
    return hashlib.sha256(raw.encode()).hexdigest()


def fill_new_credentials(token: ApiToken) -> str:
    """Give the unsaved ``token`` a new prefix and hash; return the full token (shown once)."""
    token.prefix = TOKEN_PREFIX + secrets.token_hex(PREFIX_BYTES)
    raw = f"{token.prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    token.secret_hash = hash_token(raw)
    return raw


def api_token_create(*, reseller, name: str, created_by=None) -> IssuedToken:
    """Create a token for ``reseller`` and return it with its secret (shown once)."""
    for _ in range(3):
        token = ApiToken(reseller=reseller, name=name.strip(), created_by=created_by)
        raw = fill_new_credentials(token)
        try:
            with transaction.atomic():
                token.save()
        except IntegrityError:
            continue
        return IssuedToken(token=token, secret=raw)
    raise RuntimeError("Could not find an unused token prefix in three tries.")


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Refuse ``token`` from now on (it is kept, so what it did stays traceable)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """Return the usable token ``raw`` is, or None."""
    prefix, dot, _ = (raw or "").partition(".")
    if not dot or not prefix.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.usable()
        # The connection too: placing or validating an order asks the marketplace through it.
        .select_related("reseller__connection", "created_by")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
