"""Orders: list, get, create, estimate, patch."""

from __future__ import annotations

from datetime import datetime

from flask import request

from .. import lifecycle, ordering
from ..errors import ApiError
from ..views import order_row, order_view
from .api import api
from .common import json_body, newest_first, not_found, paginate, session, single_value, state

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
    with simulator.lock:
        rows = [o for o in simulator.orders.values() if o["_resellerId"] == session()["resellerId"]]
        if args.get("customerId"):
            rows = [o for o in rows if o["customerId"] == args["customerId"]]
        if args.get("subscriptionId"):
            wanted = args["subscriptionId"]
            rows = [
                o
                for o in rows
                if o.get("subscriptionId") == wanted
                or any(p.get("_subscriptionId") == wanted for p in o.get("products", []))
            ]
        if args.get("orderNumber"):
            rows = [o for o in rows if o["orderNumber"] == args["orderNumber"]]
        if status:
            rows = [o for o in rows if o["status"] == status]
        if status_code:
            rows = [o for o in rows if o["statusCode"] == status_code]
        if since is not None:
            rows = [o for o in rows if o["_created"] >= since]
        if until is not None:
            rows = [o for o in rows if o["_created"] <= until]
        return paginate(newest_first(rows), order_row)


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
            if order["status"] != "submitted":
                raise ApiError(
                    400,
                    f"Order #{order['orderNumber']} is {order['status']} and can "
                    "no longer be cancelled.",
                )
            order["_cancelledAt"] = simulator.now()
            order["_fate"] = "error"
            lifecycle.advance_all(simulator)
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
