"""A charge: one line of the bill, as the report states it or as the product expects it.

Both sides are brought to this one shape so they can be compared field by field. The proration
rule (docs/upstream.md "Reports"): a billing period is 30 days a month, 365 a year; a charge on
day D of a subscription created on day A covers the days left in the period D falls in,
``P - (D - A) mod P``; the amount is ``unit cost × seats × days / P``, rounded half-up to the
cent; reductions and refunds are negative.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
PERIOD_DAYS = {"P1M": 30, "P1Y": 365, "P3Y": 1095}

PURCHASE = "purchase"
ADDITION = "seatAddition"
REDUCTION = "seatReduction"
REFUND = "cancellationRefund"
SWITCH_REFUND = "switchRefund"
SWITCH_CHARGE = "switchCharge"
RECURRING = "recurring"
CHARGE_TYPES = (PURCHASE, ADDITION, REDUCTION, REFUND, SWITCH_REFUND, SWITCH_CHARGE, RECURRING)
NEGATIVE = (REDUCTION, REFUND, SWITCH_REFUND)
#: One order makes two lines of these on one subscription (a whole upgrade): keyed by type too.
SWITCH_TYPES = (SWITCH_REFUND, SWITCH_CHARGE)
CHARGE_WORDS = {
    PURCHASE: _("Purchase"),
    ADDITION: _("Seats added"),
    REDUCTION: _("Seats removed (refund)"),
    REFUND: _("Cancellation refund"),
    SWITCH_REFUND: _("Plan change: old plan refunded"),
    SWITCH_CHARGE: _("Plan change: new plan charged"),
    RECURRING: _("Billing period"),
}


class BadLine(ValueError):
    """A report line the product cannot read (named by its line id)."""


def days_left(anchor: date, day: date, period_days: int) -> int:
    """Return the days from ``day`` to the end of the billing period it falls in, ``day`` too."""
    return period_days - (day - anchor).days % period_days


def prorated(unit: Decimal, quantity: int, days: int, period_days: int, *, negative=False):
    amount = (unit * quantity * days / period_days).quantize(CENT, rounding=ROUND_HALF_UP)
    return -amount if negative else amount


@dataclass(frozen=True, slots=True)
class Charge:
    subscription: str  # the upstream subscription id
    charge_type: str
    day: date
    quantity: int
    unit_cost: Decimal
    period_days: int
    charged_days: int
    amount: Decimal
    currency: str
    order_number: str = ""
    customer: str = ""  # the upstream customer id
    product: str = ""  # its name (statements; not compared)
    seats: int = 0  # seats held once the charge applies (statements; not compared)

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the charge on both sides: the order that caused it, or the day a
        recurring period began."""
        if self.charge_type == RECURRING or not self.order_number:
            return (self.subscription, f"{self.charge_type}@{self.day.isoformat()}")
        if self.charge_type in SWITCH_TYPES:
            return (self.subscription, f"{self.order_number}:{self.charge_type}")
        return (self.subscription, self.order_number)

    def evidence(self) -> dict:
        data = asdict(self)
        data.update(
            day=self.day.isoformat(),
            unit_cost=str(self.unit_cost),
            amount=str(self.amount),
        )
        return data

    @classmethod
    def from_report(cls, row: dict) -> Charge:
        """Read one CSV row of a rated-data report (docs/upstream.md "Reports")."""
        try:
            charge_type = row["chargeType"]
            if charge_type not in CHARGE_TYPES:
                raise ValueError(f"unknown charge type {charge_type!r}")
            return cls(
                subscription=row["subscriptionId"].strip(),
                charge_type=charge_type,
                day=date.fromisoformat(row["chargeDate"]),
                quantity=int(row["quantity"]),
                unit_cost=Decimal(row["unitCost"]),
                period_days=int(row["periodDays"]),
                charged_days=int(row["chargedDays"]),
                amount=Decimal(row["amount"]),
                currency=row["currency"],
                order_number=(row.get("orderNumber") or "").strip(),
                customer=(row.get("customerId") or "").strip(),
            )
        except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError) as exc:
            raise BadLine(f"Report line {row.get('lineId', '?')} cannot be read: {exc}") from exc
