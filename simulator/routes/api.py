"""The API blueprint: gateway checks (key, budget, scripted failures, token) before each route."""

from __future__ import annotations

import math

from flask import Blueprint, g, request

from .. import auth, errors, lifecycle
from ..failures import ANSWERED_INSTEAD, business_error
from .common import state

api = Blueprint("api", __name__, url_prefix="/marketplace/<region>")


@api.url_value_preprocessor
def drop_region(endpoint, values):
    g.region = values.pop("region", None)


@api.before_request
def gateway():
    """Play the gateway and the platform in the order a request meets them."""
    simulator = state()
    path = request.environ.get("simulator.api_path", request.path)
    simulator.stats.count_request(f"{request.method} {path}")

    key = request.headers.get("X-Subscription-Key")
    problem = auth.key_problem(simulator, key)
    if problem:
        return errors.apim_response(401, problem)
    limited = _rate_limited(simulator, key)
    if limited is not None:
        request.environ[ANSWERED_INSTEAD] = True
        return limited

    body = request.get_json(silent=True) if request.method in {"POST", "PATCH"} else None
    po_number = str(body["poNumber"]) if isinstance(body, dict) and body.get("poNumber") else None
    kinds = {"status", "business", "reject_key", "reject_token"}
    rule = simulator.failures.take(kinds, request.method, path, po_number, request.args.to_dict())
    if rule:
        simulator.stats.count_failure(rule["kind"])
        if rule["kind"] == "status" and rule["status"] == 429:
            simulator.stats.count_rate_limited()
        request.environ[ANSWERED_INSTEAD] = True
        return scripted_response(rule, body or {})

    if path != "/token":
        session, message = auth.bearer_session(simulator, request.headers.get("Authorization"))
        if session is None:
            return errors.error_response(401, message)
        g.session = session
        lifecycle.advance_all(simulator)
    return None


def _rate_limited(simulator, key: str):
    budget = simulator.rate_limit
    if budget is None:
        return None
    with simulator.lock:
        now = simulator.now()
        started, used = simulator.rate_windows.get(key, (now, 0))
        if now - started >= budget.window_seconds:
            started, used = now, 0
        used += 1
        simulator.rate_windows[key] = (started, used)
        if used <= budget.limit:
            return None
        simulator.stats.count_rate_limited()
        wait = max(1, math.ceil(started + budget.window_seconds - now))
    return rate_limit_response(wait if budget.retry_after else None)


def rate_limit_response(retry_after: int | None):
    if retry_after is None:
        return errors.apim_response(429, "Rate limit is exceeded.")
    return errors.apim_response(
        429,
        f"Rate limit is exceeded. Try again in {retry_after} seconds.",
        headers={"Retry-After": str(retry_after)},
    )


def scripted_response(rule: dict, body: dict):
    kind = rule["kind"]
    if kind == "reject_key":
        return errors.apim_response(401, auth.INVALID_KEY)
    if kind == "reject_token":
        return errors.error_response(401, auth.INVALID_TOKEN)
    if kind == "business":
        status, message = business_error(rule["error"], body)
        return errors.error_response(status, message)
    status = rule["status"]
    if status == 429:
        retry_after = rule.get("retryAfter", 57)
        return rate_limit_response(int(retry_after) if retry_after is not None else None)
    body_format = rule.get("format") or {504: "html", 503: "apim"}.get(status, "error")
    message = rule.get("message") or _default_message(status)
    if body_format == "html":
        return errors.html_response(status)
    if body_format == "apim":
        return errors.apim_response(status, message)
    if body_format == "spring":
        return errors.spring_response(status, message)
    return errors.error_response(status, message)


def _default_message(status: int) -> str:
    return {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable. Please try again later.",
        504: "Gateway Timeout",
    }.get(status, "Request failed")
