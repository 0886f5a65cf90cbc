"""What the product expects to be billed: the charges its own orders and subscriptions imply.

Per subscription, its completed orders are replayed in time order (a purchase, seat changes, a
cancellation), and a recurring charge is due at each later billing-period start while seats
remain. Matching is by subscription, not by order: a subscription the product adopted (no order
of ours) is known, and only its recurring charges are expected.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal

from orders.models import Order, OrderLine, Subscription

from .charges import (
    ADDITION,
    PERIOD_DAYS,
    PURCHASE,
    RECURRING,
    REDUCTION,
    REFUND,
    Charge,
    days_left,
    prorated,
)

COST, PRICE = "cost", "price"
ENDED_STATUSES = {"terminated", "expired", "removed", "cancelled"}


@dataclass(frozen=True, slots=True)
class Known:
    """A subscription the product knows, as the reconciliation needs it."""

    pk: int
    customer_id: int
    adopted: bool


def _day(moment) -> date:
    return moment.astimezone(UTC).date()


def _subscriptions(reseller, end: date, customer=None):
    subscriptions = Subscription.objects.filter(
        customer__reseller=reseller, created_at__date__lte=end
    )
    if customer is not None:
        subscriptions = subscriptions.filter(customer=customer)
    return subscriptions.order_by("customer_id", "pk").values(
        "pk",
        "upstream_id",
        "customer_id",
        "customer__upstream_customer_id",
        "order_id",
        "status",
        "seats",
        "renewal_date",
        "created_at",
        "unit_cost",
        "unit_price",
        "currency",
        "product__name",
        "product__price",
        "product__cost",
        "product__currency",
        "product__billing_period",
    )


def _events(reseller) -> dict[int, list[tuple]]:
    """Return, per subscription pk, (day, pk, kind, seats on the line, order number)."""
    found = defaultdict(list)
    # Completed once, whatever since: a purchase later cancelled was still bought and billed.
    lines = (
        OrderLine.objects.filter(order__reseller=reseller, order__completed_at__isnull=False)
        .exclude(subscription=None)
        .values_list(
            "subscription_id",
            "order__kind",
            "quantity",
            "order__upstream_order_number",
            "order__completed_at",
            "order_id",
        )
    )
    for subscription_id, kind, quantity, number, completed_at, order_id in lines.iterator(2000):
        found[subscription_id].append((_day(completed_at), order_id, kind, quantity, number))
    return found


def subscription_charges(row: dict, events: list[tuple], start: date, end: date, side=COST):
    """Yield the charges one subscription should have been billed from ``start`` to ``end``:
    at its unit cost (what the marketplace bills us), or at its selling price (``side=PRICE``:
    what we bill the customer)."""
    period = PERIOD_DAYS.get(row["product__billing_period"], 30)
    anchor = _day(row["created_at"])
    unit = row[f"unit_{side}"] if row[f"unit_{side}"] is not None else row[f"product__{side}"]
    unit = Decimal(unit or 0)
    currency = row["currency"] or row["product__currency"]
    ended = None
    if row["status"] in ENDED_STATUSES and row["renewal_date"]:
        ended = row["renewal_date"]
    seats = 0
    plan = []
    for day, _, kind, quantity, number in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == Order.Kind.SALES:
            plan.append((anchor, PURCHASE, quantity, number, period))
            seats = quantity
        elif kind == Order.Kind.CHANGE:
            delta, seats = quantity - seats, quantity
            if delta:
                charge = ADDITION if delta > 0 else REDUCTION
                plan.append((day, charge, abs(delta), number, days_left(anchor, day, period)))
        elif kind == Order.Kind.CANCELLATION:
            plan.append((day, REFUND, seats, number, days_left(anchor, day, period)))
            seats = 0
    # Adopted: no order of ours bought it, so its seats count from the start as they are now.
    seats = row["seats"] if row["order_id"] is None else 0
    yield from _with_recurring(
        row, plan, seats, anchor, period, ended, (start, end), unit, currency
    )


def _with_recurring(row, plan, seats, anchor, period, ended, span, unit, currency):
    start, end = span
    index = 0
    anniversary = anchor + timedelta(days=period)
    while index < len(plan) or (anniversary <= end and (ended is None or anniversary < ended)):
        if index < len(plan) and (plan[index][0] <= anniversary or anniversary > end):
            day, kind, quantity, number, days = plan[index]
            index += 1
            seats += -quantity if kind in (REDUCTION, REFUND) else quantity
        else:
            day, kind, quantity, number, days = anniversary, RECURRING, seats, "", period
            anniversary += timedelta(days=period)
            if seats <= 0 or (ended is not None and day >= ended):
                continue
        if start <= day <= end:
            yield Charge(
                subscription=row["upstream_id"],
                charge_type=kind,
                day=day,
                quantity=quantity,
                unit_cost=unit,
                period_days=period,
                charged_days=days,
                amount=prorated(unit, quantity, days, period, negative=kind in (REDUCTION, REFUND)),
                currency=currency,
                order_number=number,
                customer=row["customer__upstream_customer_id"],
                product=row["product__name"],
                seats=seats,
            )


def expected_charges(*, reseller, start: date, end: date):
    """Return ({key: Charge} expected from ``start`` to ``end``, {upstream id: Known})."""
    events = _events(reseller)
    expected, known = {}, {}
    for row in _subscriptions(reseller, end).iterator(2000):
        known[row["upstream_id"]] = Known(row["pk"], row["customer_id"], row["order_id"] is None)
        for charge in subscription_charges(row, events.get(row["pk"], []), start, end):
            expected[charge.key] = charge
    return expected, known


def customer_charges(*, reseller, start: date, end: date, customer=None):
    """Yield (customer pk, Charge at the selling price) of every subscription, customer by
    customer (only ``customer``'s when given), each subscription's charges in time order."""
    events = _events(reseller)
    for row in _subscriptions(reseller, end, customer).iterator(2000):
        for charge in subscription_charges(row, events.get(row["pk"], []), start, end, PRICE):
            yield row["customer_id"], charge
