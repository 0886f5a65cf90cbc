"""Matching report lines to expected charges: each kind of mismatch, and nothing else."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from billing.charges import Charge, days_left, prorated
from billing.ledger import Known
from billing.matching import Tally, match
from billing.models import Mismatch

Kind = Mismatch.Kind
UNIT = Decimal("10.20")


def charge(subscription="1", kind="purchase", day=date(2026, 11, 1), quantity=3, days=30, **kw):
    negative = kind in ("seatReduction", "cancellationRefund")
    values = {
        "subscription": subscription,
        "charge_type": kind,
        "day": day,
        "quantity": quantity,
        "unit_cost": UNIT,
        "period_days": 30,
        "charged_days": days,
        "amount": prorated(UNIT, quantity, days, 30, negative=negative),
        "currency": "USD",
        "order_number": "" if kind == "recurring" else f"SO-{subscription}-{kind}",
    }
    values.update(kw)
    return Charge(**values)


def findings(lines, expected, known=None):
    known = known or {c.subscription: Known(1, 1, False) for c in [*lines, *expected]}
    tally = Tally()
    found = list(match(iter(lines), {c.key: c for c in expected}, known, tally))
    return [(f.kind, f.charge.subscription) for f in found], tally


def test_proration_counts_the_days_left_in_the_billing_period():
    assert days_left(date(2026, 11, 1), date(2026, 11, 1), 30) == 30
    assert days_left(date(2026, 11, 1), date(2026, 11, 4), 30) == 27
    assert days_left(date(2026, 11, 1), date(2026, 12, 1), 30) == 30  # a new period began
    assert prorated(UNIT, 3, 27, 30, negative=True) == Decimal("-27.54")


def test_lines_as_expected_match_and_add_up():
    expected = [charge("1"), charge("2", "recurring"), charge("3", "cancellationRefund", days=25)]
    found, tally = findings(list(expected), expected)
    assert found == []
    assert (tally.lines, tally.matched) == (3, 3)
    assert tally.billed_total == tally.expected_total == sum(c.amount for c in expected)


def test_each_difference_is_named_by_its_kind():
    expected = [
        charge("q"),
        charge("p"),
        charge("d", "seatAddition", days=20),
        charge("r", "cancellationRefund", days=25),
        charge("n"),
        charge("m", "seatReduction", days=12),
    ]
    billed = [
        replace(expected[0], quantity=4, amount=prorated(UNIT, 4, 30, 30)),
        replace(expected[1], unit_cost=Decimal("11.00")),
        replace(expected[2], charged_days=21),
        replace(expected[3], amount=Decimal("-1.00")),
        charge("x"),  # no order of ours
        charge("u"),  # a subscription unknown here
    ]
    known = {c.subscription: Known(1, 1, False) for c in expected}
    known["x"] = Known(9, 1, False)
    found, _ = findings(billed, expected, known)
    assert sorted(found) == sorted(
        [
            (Kind.QUANTITY, "q"),
            (Kind.PRICE, "p"),
            (Kind.PRORATION, "d"),
            (Kind.REFUND_WRONG, "r"),
            (Kind.NOT_ORDERED, "x"),
            (Kind.NOT_ORDERED, "u"),
            (Kind.NOT_BILLED, "n"),
            (Kind.REFUND_MISSING, "m"),
        ]
    )


def test_a_line_billed_twice_is_found_once_and_says_so():
    expected = [charge("1")]
    lines = [charge("1"), charge("1")]
    tally = Tally()
    known = {"1": Known(1, 1, False)}
    (finding,) = match(iter(lines), {c.key: c for c in expected}, known, tally)
    assert (finding.kind, finding.note) == (Kind.NOT_ORDERED, "billed twice")
    assert tally.matched == 1


def test_an_adopted_subscription_is_known_its_history_accepted_its_periods_checked():
    known = {"7": Known(1, 1, adopted=True)}
    recurring = charge("7", "recurring", day=date(2026, 11, 15))
    lines = [charge("7"), charge("7", "seatAddition", days=10), replace(recurring, quantity=5)]
    found, tally = findings(lines, [recurring], known)
    assert found == [(Kind.QUANTITY, "7")]  # its purchase and change are not ours to know
    assert tally.matched == 2
