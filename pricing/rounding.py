"""Rounding rules for a computed selling price (a fixed or list price is never rounded)."""

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from .models import Rounding

CENT = Decimal("0.01")
WHOLE = Decimal("1")


def price_round(amount: Decimal, rounding: str) -> Decimal:
    """Return ``amount`` rounded by ``rounding`` (a ``Rounding`` value), to two places."""
    if rounding == Rounding.UP_CENT:
        return amount.quantize(CENT, rounding=ROUND_CEILING)
    if rounding == Rounding.UP_WHOLE:
        return amount.quantize(WHOLE, rounding=ROUND_CEILING).quantize(CENT)
    if rounding == Rounding.CHARM:
        # The smallest x.99 at or above the amount: 12.00 → 12.99, 11.99 → 11.99.
        return ((amount + CENT).quantize(WHOLE, rounding=ROUND_CEILING) - CENT).quantize(CENT)
    if rounding == Rounding.UP_FIVE_CENTS:
        return ((amount * 20).quantize(WHOLE, rounding=ROUND_CEILING) / 20).quantize(CENT)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
