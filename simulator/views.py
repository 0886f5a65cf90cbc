"""Shaping stored records into what the API returns."""

from __future__ import annotations


def public(value):
    """Return a copy without the simulator's private keys (those starting with '_')."""
    if isinstance(value, dict):
        return {k: public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def customer_view(customer: dict) -> dict:
    view = public(customer)
    for person in view.get("contactPersons", []):
        person.pop("login", None)  # write-only
        person.pop("password", None)  # write-only
    return view


LIST_ROW_OMITS = ("poNumber", "products", "details")


ORDER_KEY_ORDER = (
    "id",
    "orderNumber",
    "type",
    "customerId",
    "poNumber",
    "creationDate",
    "provisioningDate",
    "status",
    "statusCode",
    "subscriptionId",
    "total",
    "products",
    "details",
)


def order_view(order: dict) -> dict:
    view = public(order)
    rank = {key: index for index, key in enumerate(ORDER_KEY_ORDER)}
    return dict(sorted(view.items(), key=lambda item: rank.get(item[0], len(rank))))


def order_row(order: dict) -> dict:
    """Return an order as list rows carry it: no poNumber, products or details (as observed)."""
    view = order_view(order)
    for key in LIST_ROW_OMITS:
        view.pop(key, None)
    return view


SUBSCRIPTION_DETAIL_ONLY = (
    "totalPrice",
    "products",
    "orderParameters",
    "fulfillmentParameters",
    "planId",
)


def subscription_view(subscription: dict) -> dict:
    return public(subscription)


def subscription_row(subscription: dict) -> dict:
    view = public(subscription)
    for key in SUBSCRIPTION_DETAIL_ONLY:
        view.pop(key, None)
    return view
