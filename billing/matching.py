"""Matching a stream of report lines against the expected charges: what differs, and how.

A plain function over iterables, so it runs the same on a test's list and on a month's download:
it holds the expected charges (one per charge the product knows) and the keys already matched,
never the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from .charges import NEGATIVE, RECURRING, Charge
from .models import Mismatch

Kind = Mismatch.Kind


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    billed: Charge | None
    expected: Charge | None
    note: str = ""  # a catalogue msgid: stored in English, translated where it is shown

    @property
    def charge(self) -> Charge:
        return self.billed or self.expected


@dataclass
class Tally:
    """What the matching counted as it went."""

    lines: int = 0
    matched: int = 0
    billed_total: Decimal = Decimal(0)
    expected_total: Decimal = Decimal(0)
    currencies: set = field(default_factory=set)


def _difference(billed: Charge, expected: Charge) -> str | None:
    """Return the kind of the first difference between two charges for the same thing."""
    refund = expected.charge_type in NEGATIVE
    if billed.charge_type != expected.charge_type or billed.quantity != expected.quantity:
        return Kind.REFUND_WRONG if refund else Kind.QUANTITY
    if billed.unit_cost != expected.unit_cost or billed.currency != expected.currency:
        return Kind.REFUND_WRONG if refund else Kind.PRICE
    if (
        billed.charged_days != expected.charged_days
        or billed.period_days != expected.period_days
        or billed.amount != expected.amount
    ):
        return Kind.REFUND_WRONG if refund else Kind.PRORATION
    return None


def match(
    lines: Iterable[Charge], expected: dict, known: dict, tally: Tally | None = None
) -> Iterator[Finding]:
    """Yield every finding of the report ``lines`` against ``expected`` ({key: Charge}).

    ``expected`` is consumed; ``known`` maps the upstream ids of the product's subscriptions
    to ``ledger.Known``. A line of an adopted subscription that no order of ours explains
    (its purchase, its changes) is accepted: the subscription is ours, its history is not.
    """
    tally = tally if tally is not None else Tally()
    expected_total = sum((charge.amount for charge in expected.values()), Decimal(0))
    tally.expected_total += expected_total
    matched: set = set()
    for billed in lines:
        tally.lines += 1
        tally.billed_total += billed.amount
        tally.currencies.add(billed.currency)
        key = billed.key
        wanted = expected.pop(key, None)
        if wanted is None:
            if key in matched:
                yield Finding(Kind.NOT_ORDERED, billed, None, gettext_noop("billed twice"))
                continue
            subscription = known.get(billed.subscription)
            if (
                subscription is not None
                and subscription.adopted
                and billed.charge_type != RECURRING
            ):
                matched.add(key)
                tally.matched += 1
                continue
            note = "" if subscription is not None else gettext_noop("subscription unknown here")
            yield Finding(Kind.NOT_ORDERED, billed, None, note)
            continue
        matched.add(key)
        kind = _difference(billed, wanted)
        if kind is None:
            tally.matched += 1
        else:
            yield Finding(kind, billed, wanted)
    for wanted in expected.values():
        missing = Kind.REFUND_MISSING if wanted.charge_type in NEGATIVE else Kind.NOT_BILLED
        yield Finding(missing, None, wanted)
