"""Subscriptions: list, get, patch (auto-renewal, attributes, prices; never the quantity)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import request

from ..errors import ApiError
from ..indexes import Selection
from ..lifecycle import iso_date
from ..renewals import renew_due
from ..special_prices import subscription_prices_update
from ..views import subscription_row, subscription_view
from .api import api
from .common import json_body, not_found, paginate_selection, session, single_value, state

SUBSCRIPTION_STATUSES = {"pending", "active", "hold", "terminated", "removed"}
DAY = 86400.0


def _date(name: str) -> str | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        raise ApiError(400, f"Parameter '{name}' must be a date.") from None


def _own(subscription_id: str) -> dict:
    subscription = state().subscriptions.get(subscription_id)
    if subscription is None or subscription["_resellerId"] != session()["resellerId"]:
        raise not_found("Subscription", subscription_id)
    return subscription


@api.get("/subscriptions")
def subscriptions_list():
    simulator = state()
    status = single_value("status")
    if status and status not in SUBSCRIPTION_STATUSES:
        raise ApiError(
            400, f"Parameter 'status' must be one of {', '.join(sorted(SUBSCRIPTION_STATUSES))}."
        )
    since, until = _date("creationDateFrom"), _date("creationDateTo")
    scope = ("reseller", session()["resellerId"])
    if request.args.get("customerId"):
        scope = ("customer", session()["resellerId"], request.args["customerId"])
    bucket = (*scope, "status", status) if status else scope
    keep = None
    if since or until:
        # creationDate is the UTC date of _created: a day's margin around the dates keeps every
        # candidate in the span, and the dates themselves decide.
        def keep(subscription):
            day = subscription["creationDate"]
            return (not since or day >= since) and (not until or day <= until)

    with simulator.lock:
        renew_due(simulator)
        index = simulator.indexed("subscriptions")
        selection = Selection(
            index.bucket(bucket),
            simulator.subscriptions,
            _midnight(since) - DAY if since else None,
            _midnight(until) + 2 * DAY if until else None,
            keep,
        )
        return paginate_selection(selection, subscription_row)


def _midnight(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()


@api.get("/subscriptions/<subscription_id>")
def subscriptions_get(subscription_id):
    with state().lock:
        renew_due(state())
        return subscription_view(_own(subscription_id))


@api.patch("/subscriptions/<subscription_id>")
def subscriptions_patch(subscription_id):
    simulator = state()
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    with simulator.lock:
        subscription = _own(subscription_id)
        if "renewalStatus" in body:
            if not isinstance(body["renewalStatus"], bool):
                raise ApiError(400, "Invalid value of field 'renewalStatus': must be a boolean.")
            subscription["renewalStatus"] = body["renewalStatus"]
        if isinstance(body.get("attributes"), dict):
            subscription["attributes"].update({k: str(v) for k, v in body["attributes"].items()})
        if "products" in body:
            subscription_prices_update(subscription, body["products"])
        subscription["lastModifiedDate"] = iso_date(simulator.now())
        simulator.touch("subscriptions", subscription["id"])
        return subscription_view(subscription)


@api.post("/subscriptions/<subscription_id>/specialPricing")
def subscriptions_special_pricing(subscription_id):
    """``SubscriptionUpdateSpecialPricing``: new unit prices/costs of a subscription's products."""
    simulator = state()
    body = json_body()
    if not isinstance(body, dict) or "products" not in body:
        raise ApiError(400, "Invalid value of field 'products': required.")
    with simulator.lock:
        subscription = _own(subscription_id)
        subscription_prices_update(subscription, body["products"])
        subscription["lastModifiedDate"] = iso_date(simulator.now())
        simulator.touch("subscriptions", subscription["id"])
        return subscription_view(subscription)
