"""Statements: what a reseller bills each end customer for a period, at its selling price.

Built from the same charges the bill is checked against (``ledger``), priced at the
subscription's selling price: every subscription, its seats from each day on, the proration of
each change, the refunds. Never a cost or a margin: statements go to end customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import groupby

from customers.models import Customer

from .charges import CHARGE_WORDS, Charge
from .ledger import customer_charges


@dataclass
class Statement:
    customer: Customer
    start: date
    end: date
    lines: list[Charge] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Decimal]:
        """The total per currency (a statement never adds two currencies together)."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
        return totals

    @property
    def described(self) -> list[tuple[str, Charge]]:
        """Each line with its charge in words."""
        return [(CHARGE_WORDS[line.charge_type], line) for line in self.lines]

    @property
    def refunds(self) -> list[Charge]:
        return [line for line in self.lines if line.amount < 0]


def statement_for(*, customer: Customer, start: date, end: date) -> Statement:
    charges = customer_charges(reseller=customer.reseller, start=start, end=end, customer=customer)
    return Statement(customer, start, end, [charge for _, charge in charges])


def statements_for(*, reseller, start: date, end: date):
    """Yield the statement of every customer of ``reseller`` billed anything in the period."""
    customers = {c.pk: c for c in Customer.objects.filter(reseller=reseller)}
    charges = customer_charges(reseller=reseller, start=start, end=end)
    for customer_id, group in groupby(charges, key=lambda pair: pair[0]):
        yield Statement(customers[customer_id], start, end, [charge for _, charge in group])
