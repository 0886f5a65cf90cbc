"""Authentication as the gateway and the platform do it: subscription key, Basic, Bearer."""

from __future__ import annotations

import base64
import binascii
import json
import secrets

from .accounts import all_credentials
from .config import Credentials
from .state import State

MISSING_KEY = (
    "Access denied due to missing subscription key. Make sure to include subscription key when "
    "making requests to an API."
)
INVALID_KEY = (
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an "
    "active subscription."
)
BAD_CREDENTIALS = "Bad credentials: the user name or password is incorrect."
MISSING_TOKEN = "Full authentication is required to access this resource"
INVALID_TOKEN = "The access token is invalid or has expired."
UNKNOWN_MARKETPLACE = "Marketplace '{code}' is not available for this account."


def key_problem(state: State, key: str | None) -> str | None:
    """Return APIM's message when the subscription key is missing or unknown."""
    if not key:
        return MISSING_KEY
    if key not in {c.subscription_key for c in all_credentials(state)}:
        return INVALID_KEY
    return None


def basic_credentials(state: State, header: str | None) -> Credentials | None:
    """Return the API user a `Basic` Authorization header names, if the password is right."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, _, password = decoded.partition(":")
    for credentials in all_credentials(state):
        if secrets.compare_digest(credentials.username, username) and secrets.compare_digest(
            credentials.password, password
        ):
            return credentials
    return None


def issue_token(state: State, credentials: Credentials, marketplace: str) -> dict:
    """Create a token for the user and return the TokenInfo body."""
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS384"}).encode()).rstrip(b"=")
    claims = base64.urlsafe_b64encode(
        json.dumps(
            {
                "principal": credentials.username,
                "marketplace": marketplace,
                "nonce": secrets.token_hex(8),
            }
        ).encode()
    ).rstrip(b"=")
    token = f"{header.decode()}.{claims.decode()}.{secrets.token_urlsafe(32)}"
    ttl = state.config.token_ttl_seconds
    with state.lock:
        now = state.now()
        state.tokens = {t: s for t, s in state.tokens.items() if s["expires"] > now}
        state.tokens[token] = {
            "resellerId": credentials.reseller_id,
            "username": credentials.username,
            "marketplace": marketplace,
            "expires": state.now() + ttl,
        }
    return {"token": token, "expiresInSeconds": ttl}


def bearer_session(state: State, header: str | None) -> tuple[dict | None, str | None]:
    """Return (session, None) for a live Bearer token, or (None, the 401 message)."""
    if not header or not header.lower().startswith("bearer "):
        return None, MISSING_TOKEN
    token = header[7:].strip()
    with state.lock:
        session = state.tokens.get(token)
        if session is None or session["expires"] <= state.now():
            return None, INVALID_TOKEN
        return session, None


def expire_all_tokens(state: State) -> int:
    with state.lock:
        count = len(state.tokens)
        state.tokens.clear()
        return count
