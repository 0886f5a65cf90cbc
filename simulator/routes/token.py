"""POST /token: Basic credentials and a marketplace code (the gateway checked the key)."""

from __future__ import annotations

from flask import request

from .. import auth, errors
from .api import api
from .common import state


@api.post("/token")
def token():
    simulator = state()
    credentials = auth.basic_credentials(simulator, request.headers.get("Authorization"))
    if credentials is None:
        return errors.error_response(401, auth.BAD_CREDENTIALS)
    body = request.get_json(silent=True) or {}
    code = str(body.get("marketplace") or "") if isinstance(body, dict) else ""
    if code not in simulator.config.marketplaces:
        return errors.error_response(403, auth.UNKNOWN_MARKETPLACE.format(code=code))
    return auth.issue_token(simulator, credentials, code)
