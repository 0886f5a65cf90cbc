"""Orders: list, get, create, estimate, patch."""

from __future__ import annotations

from datetime import datetime

from flask import request

from .. import lifecycle, ordering, switching
from ..errors import ApiError
from ..indexes import Selection
from ..views import order_row, order_view
from .api import api
from .common import json_body, not_found, paginate_selection, session, single_value, state

ORDER_STATUSES = {"submitted", "processing", "error", "completed", "cancelled"}


def _timestamp(name: str) -> float | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise ApiError(400, f"Parameter '{name}' must be a date-time.") from None


def _own(order_id: str) -> dict:
    order = state().orders.get(order_id)
    if order is None or order["_resellerId"] != session()["resellerId"]:
        raise not_found("Order", order_id)
    return order


@api.get("/orders")
def orders_list():
    simulator = state()
    args = request.args
    status, status_code = single_value("status"), single_value("statusCode")
    if status and status not in ORDER_STATUSES:
        choices = ", ".join(sorted(ORDER_STATUSES))
        raise ApiError(400, f"Parameter 'status' must be one of {choices}.")
    since, until = _timestamp("creationTimeFrom"), _timestamp("creationTimeTo")
    wanted = {
        "customerId": args.get("customerId") or None,
        "subscriptionId": args.get("subscriptionId") or None,
        "orderNumber": args.get("orderNumber") or None,
        "status": status,
        "statusCode": status_code,
    }
    bucket, answered = _bucket(session()["resellerId"], wanted)
    rest = {name: value for name, value in wanted.items() if value and name not in answered}
    keep = (lambda order: _matches(order, rest)) if rest else None
    with simulator.lock:
        index = simulator.indexed("orders")
        selection = Selection(index.bucket(bucket), simulator.orders, since, until, keep)
        return paginate_selection(selection, order_row)


def _bucket(reseller_id: str, wanted: dict) -> tuple[tuple, set[str]]:
    """Return the index bucket that answers most of the filters, and which filters it answers."""
    if wanted["orderNumber"]:
        return ("number", reseller_id, wanted["orderNumber"]), {"orderNumber"}
    if wanted["subscriptionId"]:
        return ("subscription", reseller_id, wanted["subscriptionId"]), {"subscriptionId"}
    scope, answered = ("reseller", reseller_id), set()
    if wanted["customerId"]:
        scope, answered = ("customer", reseller_id, wanted["customerId"]), {"customerId"}
    if wanted["status"]:
        return (*scope, "status", wanted["status"]), answered | {"status"}
    if wanted["statusCode"]:
        return (*scope, "code", wanted["statusCode"]), answered | {"statusCode"}
    return scope, answered


def _matches(order: dict, wanted: dict) -> bool:
    lines = order.get("products", [])
    checks = {
        "customerId": lambda value: order["customerId"] == value,
        "subscriptionId": lambda value: (
            order.get("subscriptionId") == value
            or any(line.get("_subscriptionId") == value for line in lines)
        ),
        "orderNumber": lambda value: order["orderNumber"] == value,
        "status": lambda value: order["status"] == value,
        "statusCode": lambda value: order["statusCode"] == value,
    }
    return all(checks[name](value) for name, value in wanted.items())


@api.get("/orders/<order_id>")
def orders_get(order_id):
    with state().lock:
        return order_view(_own(order_id))


@api.post("/orders")
def orders_create():
    order = ordering.place(state(), session(), json_body())
    return order_view(order), 201


@api.post("/orders/estimate")
def orders_estimate():
    order = ordering.place(state(), session(), json_body(), estimate=True)
    return order_view(order)


@api.patch("/orders/<order_id>")
def orders_patch(order_id):
    simulator = state()
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    with simulator.lock:
        order = _own(order_id)
        if "creditCheck" in body:
            order["creditCheck"] = bool(body["creditCheck"])
        code = body.get("statusCode")
        if code is not None:
            if code != "CL":
                raise ApiError(400, f"Status code '{code}' cannot be set through the API.")
            if switching.cancel_scheduled(simulator, order):
                return order_view(order)
            if order["status"] != "submitted":
                raise ApiError(
                    400,
                    f"Order #{order['orderNumber']} is {order['status']} and can "
                    "no longer be cancelled.",
                )
            order["_cancelledAt"] = simulator.now()
            order["_fate"] = "error"
            lifecycle.advance(simulator, order, simulator.now())
            _release(simulator, order)
        lifecycle.touch_order(simulator, order)
        return order_view(order)


def _release(simulator, order: dict) -> None:
    """Undo what a cancelled sales order reserved: its subscriptions and a new tenant."""
    if order["type"] != "sales":
        return
    tenant = order["_tenant"]
    if tenant.get("new"):
        simulator.tenants.pop(tenant["domain"], None)
    for line in order["products"]:
        simulator.subscriptions[line["_subscriptionId"]]["status"] = "removed"
    order["_applied"] = True
