"""The server's Ed25519 key that signs every evidence pack, so anyone can check one offline.

The private key comes from the environment: ``EVIDENCE_SIGNING_KEY``, the
base64 of a 32-byte Ed25519 seed (``python -c "import base64, os;
print(base64.b64encode(os.urandom(32)).decode())"``). Without it the key is
derived from ``DJANGO_SECRET_KEY`` (HKDF-SHA256, its own salt and purpose), so a
development machine signs too; a production site should set its own key, or
rotating the secret key changes the signing key with it.

The public key is published at ``/.well-known/evidence-signing-key`` and
printed in every PDF; ``key_id`` (the first 16 hex digits of the SHA-256 of
the raw public key) names it in each pack.
"""

import base64
import binascii
import hashlib
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"
DERIVATION_SALT = b"nce-orders evidence pack signing key"
DERIVATION_INFO = b"evidence/signing.py v1"


@lru_cache(maxsize=4)
def _private_key(configured: str, secret_key: str) -> Ed25519PrivateKey:
    if configured:
        try:
            seed = base64.b64decode(configured, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                "EVIDENCE_SIGNING_KEY must be the base64 of 32 random bytes."
            ) from exc
        if len(seed) != 32:
            raise ImproperlyConfigured(
                "EVIDENCE_SIGNING_KEY must be the base64 of 32 random bytes."
            )
    else:
        seed = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=DERIVATION_SALT, info=DERIVATION_INFO
        ).derive(secret_key.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key() -> Ed25519PrivateKey:
    """Return the private key: EVIDENCE_SIGNING_KEY, or derived from the secret key."""
    return _private_key(getattr(settings, "EVIDENCE_SIGNING_KEY", ""), settings.SECRET_KEY)


def public_key() -> Ed25519PublicKey:
    return signing_key().public_key()


def public_key_raw() -> bytes:
    return public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_id() -> str:
    """Return the name of the public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    return hashlib.sha256(public_key_raw()).hexdigest()[:16]


def sign(message: bytes) -> str:
    """Return the base64 Ed25519 signature of ``message``."""
    return base64.b64encode(signing_key().sign(message)).decode()


def signature_valid(message: bytes, signature: str) -> bool:
    """Return True if ``signature`` (base64) is this server's signature of ``message``."""
    try:
        public_key().verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
