"""Finding the one catalogue row an order line means."""

from __future__ import annotations

from . import errors
from .errors import ApiError
from .state import State


def _same_period(a: dict | None, b: dict) -> bool:
    return a is None or (a.get("type") == b["type"] and int(a.get("duration", 0)) == b["duration"])


def candidates(state: State, line: dict, order_period: dict | None = None) -> list[dict]:
    """Return the rows matching the line by id, or by mpn, vendor, term and billing period."""
    if line.get("id"):
        return [p for p in state.products if p["id"] == str(line["id"])]
    mpn = line.get("mpn")
    term = line.get("subscriptionPeriod") or order_period
    return [
        p
        for p in state.products
        if p["mpn"] == mpn
        and (not line.get("vendor") or p["vendor"] == line["vendor"])
        and _same_period(term, p["subscriptionPeriod"])
        and _same_period(line.get("billingPeriod"), p["billingPeriod"])
    ]


def resolve(state: State, line: dict, order_period: dict | None = None) -> dict:
    """Return the single product a line names, or raise the API's error."""
    if not isinstance(line, dict) or not (line.get("mpn") or line.get("id")):
        raise ApiError(400, "Each product must have an mpn or an id.")
    found = candidates(state, line, order_period)
    if not found:
        raise ApiError(400, f"Product with MPN {line.get('mpn') or line.get('id')} was not found.")
    if len(found) > 1:
        raise ApiError(400, errors.AMBIGUOUS_PRODUCT.format(mpn=line.get("mpn")))
    return found[0]


def quantity_of(line: dict) -> int:
    quantity = line.get("quantity")
    if (
        isinstance(quantity, bool)
        or not isinstance(quantity, int | float)
        or quantity != int(quantity)
    ):
        raise ApiError(400, "quantity must be a whole number.")
    return int(quantity)


def check_quantity(product: dict, quantity: int) -> None:
    minimum, maximum = int(product["minimumQuantity"]), int(product["maximumQuantity"])
    if not minimum <= quantity <= maximum:
        raise ApiError(
            400,
            errors.QUANTITY_OUT_OF_RANGE.format(
                quantity=quantity, minimum=minimum, maximum=maximum
            ),
        )
