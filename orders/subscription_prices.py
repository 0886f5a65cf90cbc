"""A subscription's prices per seat and billing period (issue 24), and where they come from.

Ours (``unit_price``, ``unit_cost``, ``currency``) come from the order line that set the
subscription's plan: its purchase, or the switch that moved it to another plan, term or
billing period. The marketplace's (``marketplace_unit_*``) are what its subscription detail
states; where none was read for the plan the subscription holds now, they are unknown (None)
rather than the old plan's.
"""

from decimal import Decimal

PRICE_FIELDS = (
    "unit_price",
    "unit_cost",
    "currency",
    "marketplace_unit_price",
    "marketplace_unit_cost",
)


def prices_from_line(line, detail=None) -> dict:
    """Our unit price and cost from the order ``line``, the marketplace's from its ``detail``."""
    price, cost = detail.unit_money(line.mpn) if detail is not None else (None, None)
    return {
        "unit_price": line.unit_price,
        "unit_cost": line.unit_cost,
        "currency": line.currency,
        "marketplace_unit_price": cents(price),
        "marketplace_unit_cost": cents(cost),
    }


def prices_set(subscription, prices: dict) -> None:
    """Give ``subscription`` the ``prices`` (as ``prices_from_line`` returns them); unsaved."""
    for name in PRICE_FIELDS:
        setattr(subscription, name, prices[name])


def terms_recorded(subscription) -> dict:
    """What a subscription's history keeps of it before and after a change: its plan, seats
    and our prices (JSON-safe: amounts as text, or None)."""
    return {
        "product": subscription.product.name,
        "seats": subscription.seats,
        "unit_price": _text(subscription.unit_price),
        "unit_cost": _text(subscription.unit_cost),
        "currency": subscription.currency,
    }


def cents(money):
    return money.amount.quantize(Decimal("0.01")) if money is not None else None


def _text(amount) -> str | None:
    return None if amount is None else str(amount)
