"""Selling prices a reseller sets: a sales line's ``specialPrice``, a subscription's prices.

``OrderSpecialPrice`` (spec 1.15) is write-only: "the price of one item", with its
currency; the subscription the line creates is priced at it (``unitPrice``), its cost
stays the product's ``costs[]``. ``/subscriptions/{id}/specialPricing`` and the PATCH
set ``unitPrice`` / ``unitCost`` / ``unitProviderCost`` of an existing subscription.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .errors import ApiError

MONEY_FIELDS = ("unitPrice", "unitCost", "unitProviderCost")


def line_unit_price(line: dict, product: dict) -> Decimal:
    """Return the line's ``specialPrice`` if it has one (checked), else the product's price."""
    special = line.get("specialPrice")
    listed = product["prices"][0]
    if special is None:
        return Decimal(listed["amount"])
    if "dealPrice" in line or "deals" in line:
        raise ApiError(400, "A special price cannot be used with a deal price.")
    amount = money_amount(special, "specialPrice")
    if special["currency"] != listed["currency"]:
        raise ApiError(
            400,
            f"Invalid value of field 'specialPrice.currency': the product is sold in "
            f"{listed['currency']}.",
        )
    return amount


PRICE_MODELS = {"MSRP", "COS", "UNKNOWN"}


def line_margins(line: dict) -> dict | None:
    """Check a line's ``margins`` (``OrderMargin``, write-only): kept on the order, never shown.

    ``priceModel``, ``totalRate`` and ``rates`` are required; each rate is
    ``{original, new}``, numbers as strings.
    """
    margins = line.get("margins")
    if margins is None:
        return None
    if not isinstance(margins, dict):
        raise ApiError(400, "Invalid value of field 'margins': must be an object.")
    for name in ("priceModel", "totalRate", "rates"):
        if name not in margins:
            raise ApiError(400, f"Invalid value of field 'margins.{name}': required.")
    if margins["priceModel"] not in PRICE_MODELS:
        raise ApiError(
            400, f"Invalid value of field 'margins.priceModel': one of {sorted(PRICE_MODELS)}."
        )
    if not isinstance(margins["rates"], list):
        raise ApiError(400, "Invalid value of field 'margins.rates': must be a list.")
    rates = [("totalRate", margins["totalRate"])] + [
        (f"rates[{i}].rate", item.get("rate") if isinstance(item, dict) else None)
        for i, item in enumerate(margins["rates"])
    ]
    for field, rate in rates:
        if not isinstance(rate, dict):
            raise ApiError(400, f"Invalid value of field 'margins.{field}': must be an object.")
        for part in ("original", "new"):
            try:
                Decimal(str(rate[part]))
            except (KeyError, InvalidOperation):
                raise ApiError(
                    400, f"Invalid value of field 'margins.{field}.{part}': not a number."
                ) from None
    return margins


def money_amount(value, field: str) -> Decimal:
    """Return the amount of a ``{"amount", "currency"}`` value, or refuse it with a 400."""
    if not isinstance(value, dict) or not value.get("currency"):
        raise ApiError(400, f"Invalid value of field '{field}': amount and currency are required.")
    try:
        amount = Decimal(str(value.get("amount")))
    except (InvalidOperation, ValueError):
        raise ApiError(400, f"Invalid value of field '{field}.amount': not a number.") from None
    if not amount.is_finite() or amount < 0:
        raise ApiError(400, f"Invalid value of field '{field}.amount': must be 0 or more.")
    return amount


def subscription_prices_update(subscription: dict, updates) -> None:
    """Apply ``SubscriptionProductUpdate`` items (PATCH or specialPricing) to its products."""
    if not isinstance(updates, list):
        raise ApiError(400, "Invalid value of field 'products': must be a list.")
    for update in updates:
        if not isinstance(update, dict):
            raise ApiError(400, "Invalid value of field 'products': items must be objects.")
        for product in subscription["products"]:
            if update.get("mpn") not in (None, product["mpn"]):
                continue
            if update.get("id") not in (None, product["id"]):
                continue
            for field in MONEY_FIELDS:
                if field in update:
                    amount = money_amount(update[field], field)
                    product[field] = {
                        "amount": _text(amount),
                        "currency": update[field]["currency"],
                    }
            if "unitPrice" in update:
                total = Decimal(product["unitPrice"]["amount"]) * Decimal(product["quantity"])
                product["extendedPrice"] = {
                    "amount": _text(total),
                    "currency": product["unitPrice"]["currency"],
                }
                subscription["totalPrice"] = dict(product["extendedPrice"])


def _text(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
