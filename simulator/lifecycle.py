"""Order lifecycle, computed lazily from the simulated clock, and its effects on subscriptions.

An order is `submitted`, then `processing`/AS, then `processing`/LO, then `completed`/CP
(or `error`/PF, or it stays LO when scripted as stuck). Nothing runs in the background:
every request first calls `advance_all`, which applies whatever the clock says has happened.
It looks only at the orders whose next phase change has come (`State.due_orders`), and at
every open order when the clock has gone back, so a request costs the same with 100 orders
or 10,000.
"""

from __future__ import annotations

import secrets
import string
import uuid
from datetime import datetime

from . import switching
from .calendar import add_months, iso_date, iso_datetime, refresh_totals
from .state import State

SUBMITTED_CODE = "SB"  # the real code of a submitted order is not published
OPEN_STATUSES = {"submitted", "processing"}
STATUS_LABELS = {
    "SB": "Submitted(SB)",
    "AS": "Awaiting provisioning(AS)",
    "LO": "Provisioning is in progress(LO)",
}


def phase(order: dict, now: float) -> tuple[str, str]:
    """Return (status, statusCode) of an order at time `now`."""
    if order.get("_cancelledAt") is not None:
        return "cancelled", "CL"
    submitted, assigning, provisioning = order["_timings"]
    elapsed = now - order["_created"]
    if elapsed < submitted:
        return "submitted", SUBMITTED_CODE
    if elapsed < submitted + assigning:
        return "processing", "AS"
    if elapsed < submitted + assigning + provisioning or order["_fate"] == "stuck":
        return "processing", "LO"
    if order["_fate"] == "error":
        return "error", "PF"
    return "completed", "CP"


def finished_at(order: dict) -> float:
    return order["_created"] + sum(order["_timings"])


def next_change(order: dict, now: float) -> float | None:
    """Return when the phase of an order next changes after `now` (None: not by time)."""
    if order.get("_cancelledAt") is not None:
        return None
    elapsed, bound = now - order["_created"], 0
    for duration in order["_timings"]:
        bound += duration  # summed as phase() sums them, so both agree on the boundary
        if elapsed < bound:
            return order["_created"] + bound
    return None


def schedule(state: State, order: dict) -> None:
    """Put a newly placed order on the lifecycle's schedule: the next advance looks at it."""
    state.schedule_order(order, order["_created"])


def advance_all(state: State) -> None:
    """Bring every order (and what it provisions) up to the simulated now."""
    with state.lock:
        now = state.now()
        for order_id in state.due_order_ids(now):
            advance(state, state.orders[order_id], now)


def advance(state: State, order: dict, now: float) -> None:
    """Bring one order (and what it provisions) up to `now`, and schedule its next change."""
    if order["_applied"]:
        state.open_orders.discard(order["id"])
        return  # final: completed, error or cancelled, with its effects applied
    status, code = phase(order, now)
    if (order["status"], order["statusCode"]) != (status, code):
        order["status"], order["statusCode"] = status, code
        touch_order(state, order)
    if status in {"completed", "error"}:
        _apply(state, order, succeeded=status == "completed")
        order["_applied"] = True
        state.open_orders.discard(order["id"])
    else:
        state.schedule_order(order, next_change(order, now))


def touch_order(state: State, order: dict) -> None:
    """Mark an order and the subscriptions it acts on as changed (for the state file)."""
    state.touch("orders", order["id"])
    subscription_ids = {line.get("_subscriptionId") for line in order.get("products", [])}
    subscription_ids.add(order.get("subscriptionId"))
    for subscription_id in subscription_ids - {None}:
        state.touch("subscriptions", subscription_id)


def _apply(state: State, order: dict, *, succeeded: bool) -> None:
    at = finished_at(order)
    if succeeded:
        order["provisioningDate"] = iso_datetime(at)
    handler = {
        "sales": _apply_sales,
        "change": _apply_change,
        "cancellation": _apply_cancellation,
        "renewal": _apply_renewal,
    }[order["type"]]
    handler(state, order, at, succeeded)


def _apply_sales(state: State, order: dict, at: float, succeeded: bool) -> None:
    tenant = order["_tenant"]
    if not succeeded:
        if tenant.get("new"):
            state.tenants.pop(tenant["domain"], None)
        for line in order["products"]:
            subscription = state.subscriptions[line["_subscriptionId"]]
            subscription["status"] = "removed"
            subscription["lastModifiedDate"] = iso_date(at)
        return
    if tenant.get("new"):
        state.tenants[tenant["domain"]].pop("pending", None)
        state.touch("tenants", tenant["domain"])
    for line in order["products"]:
        line["subscriptionId"] = line["_subscriptionId"]
        subscription = state.subscriptions[line["_subscriptionId"]]
        subscription["status"] = "active"
        subscription["lastModifiedDate"] = iso_date(at)
        subscription["fulfillmentParameters"] = fulfillment_parameters(tenant)
        state.schedule_renewal(subscription)


def fulfillment_parameters(tenant: dict) -> list[dict]:
    parameters = [
        {"name": "microsoft_domain", "value": tenant["domain"]},
        {"name": "microsoft_tenant_id", "value": tenant["tenantId"]},
    ]
    if tenant.get("new"):
        parameters += [
            {"name": "admin_login", "value": tenant["adminLogin"]},
            {"name": "admin_temporary_password", "value": tenant["temporaryPassword"]},
        ]
    return parameters


def new_tenant(domain: str, customer_id: str) -> dict:
    """Return a tenant that a sales order will create, with its first admin's credentials."""
    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(10)) + "#7a"
    return {
        "domain": domain,
        "tenantId": str(uuid.uuid4()),
        "relationship": True,
        "mcaAccepted": True,
        "customerId": customer_id,
        "new": True,
        "pending": True,
        "adminLogin": f"admin@{domain}",
        "temporaryPassword": password,
    }


def _apply_change(state: State, order: dict, at: float, succeeded: bool) -> None:
    if not succeeded:
        return
    if order.get("_switch"):
        switching.apply(state, order, at)
        return
    line = order["products"][0]
    line["subscriptionId"] = line["_subscriptionId"]
    subscription = state.subscriptions[line["_subscriptionId"]]
    delta = int(line["quantity"])
    subscription["products"][0]["quantity"] += delta
    subscription["lastModifiedDate"] = iso_date(at)
    if delta > 0:
        subscription["_seatAdditions"].append([at, delta])
    refresh_totals(subscription)


def _apply_cancellation(state: State, order: dict, at: float, succeeded: bool) -> None:
    if not succeeded:
        return
    subscription = state.subscriptions[order["subscriptionId"]]
    remaining = subscription["products"][0]["quantity"] - order["_seatsCancelled"]
    if remaining <= 0:
        subscription["status"] = "terminated"
        subscription["expirationDate"] = iso_date(at)
    else:
        subscription["products"][0]["quantity"] = remaining
        refresh_totals(subscription)
    subscription["lastModifiedDate"] = iso_date(at)


def _apply_renewal(state: State, order: dict, at: float, succeeded: bool) -> None:
    if not succeeded:
        return
    subscription = state.subscriptions[order["subscriptionId"]]
    months = subscription["_termMonths"]
    renewal = datetime.strptime(subscription["renewalDate"], "%Y-%m-%d")
    subscription["renewalDate"] = add_months(renewal, months).strftime("%Y-%m-%d")
    subscription["expirationDate"] = subscription["renewalDate"]
    subscription["lastModifiedDate"] = iso_date(at)
    subscription["_renewedAt"] = at
    state.schedule_renewal(subscription)


def window_start_for_cancellation(subscription: dict) -> float:
    """Return when the latest purchase, renewal or seat addition of the subscription happened."""
    moments = [subscription["_created"], subscription.get("_renewedAt") or 0]
    moments += [at for at, _ in subscription["_seatAdditions"]]
    return max(moments)


def seats_added_since(subscription: dict, since: float) -> int:
    return sum(quantity for at, quantity in subscription["_seatAdditions"] if at >= since)
