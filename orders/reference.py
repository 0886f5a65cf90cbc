"""Our order numbers: short, unambiguous when read aloud, made before anything is sent."""

import secrets

#: Crockford's base32 alphabet: no I, L, O or U, so nobody misreads a number over the phone.
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "NCE-"
LENGTH = 8


def new_reference() -> str:
    """Return a fresh random order reference such as ``NCE-7K2M9QXD``."""
    return PREFIX + "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(LENGTH))
