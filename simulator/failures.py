"""Scripted failures: rules posted to /_simulator/failures, matched against each request."""

from __future__ import annotations

import fnmatch
import itertools
import random
import threading
import time

from . import errors

KINDS = {
    "status",  # answer with an HTTP error (429, 500, 502, 503, 504, ...) instead of serving
    "drop",  # close the connection without an answer; when=after: the request was served first
    "delay",  # serve the request, then answer `seconds` late (not a 429 or scripted error
    # answered instead of serving it: that one is not served, so it is not delayed either)
    "business",  # refuse with one of the business errors of BUSINESS_ERRORS
    "reject_key",  # answer as APIM does for a wrong subscription key
    "reject_token",  # answer as the platform does for an expired token
    "order_outcome",  # the matching new order ends in `outcome`: error (PF) or stuck (stays LO)
}
SCOPE_KEYS = {
    "kind",
    "method",
    "path",
    "count",
    "probability",
    "seed",
    "durationSeconds",
    "poNumberContains",
    "query",
}
KIND_KEYS = {
    "status": {"status", "message", "format", "retryAfter"},
    "drop": {"when"},
    "delay": {"seconds", "when"},
    "business": {"error"},
    "reject_key": set(),
    "reject_token": set(),
    "order_outcome": {"outcome"},
}
#: Set in the WSGI environ when the gateway answered instead of serving the request (the rate
#: limit, or a scripted status/business/key/token rule): a ``delay`` after serving skips it.
ANSWERED_INSTEAD = "simulator.answered_instead"
FORMATS = {"error", "spring", "apim", "html"}
BUSINESS_ERRORS = {
    "domain_taken",
    "mpn_invalid",
    "no_relationship",
    "mca_missing",
    "quantity",
    "conflicting_change",
    "ambiguous_mpn",
    "invalid_customer",
}
ORDER_OUTCOMES = {"error", "stuck", "completed"}


class RuleError(ValueError):
    """A failure rule that cannot be understood; its message says which field is wrong."""


def validate_rule(rule: dict) -> dict:
    """Check a posted rule and return it normalised."""
    if not isinstance(rule, dict):
        raise RuleError("A failure rule is a JSON object.")
    kind = rule.get("kind")
    if kind not in KINDS:
        raise RuleError(f"kind must be one of {sorted(KINDS)}.")
    unknown = set(rule) - SCOPE_KEYS - KIND_KEYS[kind]
    if unknown:
        raise RuleError(f"unknown field(s) for kind {kind}: {', '.join(sorted(unknown))}.")
    rule = dict(rule)
    if rule.get("method"):
        rule["method"] = str(rule["method"]).upper()
    if rule.get("path") and not str(rule["path"]).startswith("/"):
        rule["path"] = "/" + str(rule["path"])
    query = rule.get("query")
    if query is not None and (
        not isinstance(query, dict)
        or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in query.values()
        )
    ):
        raise RuleError(
            'query must be an object of query parameters and values, e.g. {"offset": "25"}.'
        )
    if query is not None:
        rule["query"] = {str(k): str(v) for k, v in query.items()}
    if rule.get("count") is not None and (not isinstance(rule["count"], int) or rule["count"] < 1):
        raise RuleError("count must be a positive integer (or absent for no limit).")
    probability = rule.get("probability", 1.0)
    if not isinstance(probability, int | float) or not 0 <= probability <= 1:
        raise RuleError("probability must be a number between 0 and 1.")
    if kind == "status":
        status = rule.get("status")
        if not isinstance(status, int) or not 400 <= status <= 599:
            raise RuleError("status must be an HTTP error code between 400 and 599.")
        if rule.get("format") is not None and rule["format"] not in FORMATS:
            raise RuleError(f"format must be one of {sorted(FORMATS)}.")
    if kind == "delay" and not isinstance(rule.get("seconds"), int | float):
        raise RuleError("seconds must be a number.")
    if kind == "drop":
        rule.setdefault("when", "after")
        if rule["when"] not in {"before", "after"}:
            raise RuleError(
                "when must be 'before' (nothing served) or 'after' (served, answer lost)."
            )
    if kind == "business" and rule.get("error") not in BUSINESS_ERRORS:
        raise RuleError(f"error must be one of {sorted(BUSINESS_ERRORS)}.")
    if kind == "order_outcome":
        rule.setdefault("outcome", "error")
        if rule["outcome"] not in ORDER_OUTCOMES:
            raise RuleError(f"outcome must be one of {sorted(ORDER_OUTCOMES)}.")
        rule.setdefault("method", "POST")
        rule.setdefault("path", "/orders")
    return rule


class FailureBook:
    """The active rules, in the order they were added; the first matching rule wins."""

    def __init__(self):
        self._lock = threading.Lock()
        self._rules: list[dict] = []
        self._ids = itertools.count(1)

    def add(self, rule: dict) -> dict:
        rule = validate_rule(rule)
        with self._lock:
            rule["id"] = f"f{next(self._ids)}"
            if rule.get("durationSeconds") is not None:
                rule["_expires"] = time.monotonic() + float(rule["durationSeconds"])
            rule["_random"] = random.Random(rule.get("seed"))
            self._rules.append(rule)
        return public(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r["id"] != rule_id]
            return len(self._rules) != before

    def list(self) -> list[dict]:
        with self._lock:
            self._expire()
            return [public(r) for r in self._rules]

    def take(
        self,
        kinds: set[str],
        method: str,
        path: str,
        po_number: str | None = None,
        query: dict | None = None,
    ):
        """Return (and use up once) the first active rule of `kinds` matching the request."""
        with self._lock:
            self._expire()
            for rule in self._rules:
                if rule["kind"] not in kinds or not _matches(rule, method, path, po_number, query):
                    continue
                if rule["_random"].random() >= rule.get("probability", 1.0):
                    continue
                if rule.get("count") is not None:
                    rule["count"] -= 1
                    if rule["count"] <= 0:
                        self._rules.remove(rule)
                return public(rule)
        return None

    def _expire(self) -> None:
        now = time.monotonic()
        self._rules = [r for r in self._rules if r.get("_expires", now + 1) > now]


def public(rule: dict) -> dict:
    return {k: v for k, v in rule.items() if not k.startswith("_")}


def _matches(rule: dict, method: str, path: str, po_number: str | None, query=None) -> bool:
    if rule.get("method") and rule["method"] != method:
        return False
    if rule.get("path") and not fnmatch.fnmatchcase(path, rule["path"]):
        return False
    wanted = rule.get("poNumberContains")
    if wanted is not None and (po_number is None or wanted not in po_number):
        return False
    # e.g. {"offset": "25"}: only the second page of a list read 25 at a time.
    for name, value in (rule.get("query") or {}).items():
        if (query or {}).get(name) != value:
            return False
    return True


def business_error(name: str, body: dict) -> tuple[int, str]:
    """Return the (status, message) the API gives for a forced business error."""
    product = (body.get("products") or [{}])[0] if isinstance(body, dict) else {}
    mpn = product.get("mpn") or "CFQ7TTC0LH18:0001"
    customer = body.get("customerId", "1000101") if isinstance(body, dict) else "1000101"
    domain = "contoso.onmicrosoft.com"
    for parameter in product.get("parameters") or []:
        if parameter.get("name") == "microsoft_domain" and parameter.get("value"):
            domain = str(parameter["value"])
    subscription = product.get("subscriptionId") or body.get("subscriptionId") or "1008001"
    texts = {
        "domain_taken": (400, errors.DOMAIN_TAKEN.format(domain=domain)),
        "mpn_invalid": (400, errors.MPN_NOT_FOUND),
        "no_relationship": (
            400,
            errors.NO_RELATIONSHIP.format(partner="1234567", customer=customer),
        ),
        "mca_missing": (400, errors.MCA_MISSING),
        "quantity": (
            400,
            errors.QUANTITY_OUT_OF_RANGE.format(
                quantity=product.get("quantity", 0), minimum=1, maximum=300
            ),
        ),
        "conflicting_change": (
            500,
            errors.CONFLICTING_CHANGE.format(
                subscription=subscription,
                order="CH009999",
                status="Provisioning is in progress(LO)",
            ),
        ),
        "ambiguous_mpn": (400, errors.AMBIGUOUS_PRODUCT.format(mpn=mpn)),
        "invalid_customer": (
            400,
            "Invalid value of field 'name': the company name must be longer than one character.",
        ),
    }
    return texts[name]
