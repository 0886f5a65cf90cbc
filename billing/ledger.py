"""What the product expects to be billed: the charges its own orders and subscriptions imply.

Per subscription, its completed orders are replayed in time order (billing.history): a
purchase, seat changes, plan switches, changes the renewal applied, a cancellation; and a
recurring charge is due at each later billing-period start while seats remain, at the plan the
subscription held that day. Matching is by subscription, not by order: a subscription the
product adopted (no order of ours) is known, and only its recurring charges are expected.

The rules (docs/money.md "The bill"): a billing period is 30 days a month, 365 a year; a change
on day D charges the days left of the period D falls in, ``P - (D - A) mod P`` for billing
dates ``A + kP``; changes on a day come before that day's recurring charge.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from decimal import Decimal

from orders.coterming import coterm_first_period
from orders.models import Subscription

from . import history
from .charges import (
    ADDITION,
    NEGATIVE,
    PERIOD_DAYS,
    PURCHASE,
    RECURRING,
    REDUCTION,
    REFUND,
    SWITCH_CHARGE,
    SWITCH_REFUND,
    Charge,
    days_left,
    prorated,
)
from .history import Event, Plan

COST, PRICE = "cost", "price"
ENDED_STATUSES = {"terminated", "expired", "removed", "cancelled"}
KEEP_DATES = "prorate_keeping_exp_date"
NEW_PERIOD = "prorate_starting_new_subscription_period"
BILLING_CHANGE = "billing_change"  # a period_change switch reaching the next billing date


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


@dataclass
class Held:
    """What a subscription holds while its history is replayed."""

    seats: int
    plan: Plan
    anchor: date  # billing dates fall on anchor + k × plan.period

    def unit(self, side: str):
        return self.plan.cost if side == COST else self.plan.price


def _own_plan(row: dict, bought: Plan | None) -> Plan:
    """The plan it was bought at: the purchase line's; for an adopted subscription (no
    purchase here), its own unit cost and price, else its product's.

    Not the subscription's own figures first: a plan switch moves them to the new plan.
    """
    if bought is not None:
        return bought
    fallback = Plan(
        cost=Decimal(row["product__cost"] or 0),
        price=Decimal(row["product__price"] or 0),
        period=PERIOD_DAYS.get(row["product__billing_period"], 30),
        name=row["product__name"],
    )
    return Plan(
        cost=row["unit_cost"] if row["unit_cost"] is not None else fallback.cost,
        price=row["unit_price"] if row["unit_price"] is not None else fallback.price,
        period=fallback.period,
        name=fallback.name,
    )


def subscription_charges(
    row: dict, events: list[Event], start: date, end: date, side=COST, splits=None
):
    """Yield the charges one subscription should have been billed from ``start`` to ``end``:
    at its unit cost (what the marketplace bills us), or at its selling price (``side=PRICE``:
    what we bill the customer).

    ``splits`` carries, from a partial upgrade's parent (replayed first: its pk is lower) to
    the subscription it made, the billing dates both share: {order pk: (anchor, period)}.
    """
    splits = {} if splits is None else splits
    for charge in _replay(row, events, start, end, side, splits):
        if charge is not None:  # None: a charge outside the period
            yield charge


def _replay(row: dict, events: list[Event], start: date, end: date, side, splits: dict):
    """Replay the subscription's whole history up to ``end``; yield a Charge, or None, for
    each charge it makes (None: before ``start``)."""
    currency = row["currency"] or row["product__currency"]
    anchor = _day(row["created_at"])
    ended = row["renewal_date"] if row["status"] in ENDED_STATUSES else None
    if row["order_id"] is None:  # adopted: bought elsewhere with the seats it holds now
        events = [Event(anchor, 0, history.PURCHASE, row["seats"], "", _own_plan(row, None))]
    # The purchase is dated the day the marketplace created the subscription.
    events = [_moved(e, day=anchor) if e.kind == history.PURCHASE else e for e in events]
    events.sort(key=lambda e: (e.day, e.kind != history.PURCHASE, e.order_id))
    queue = [(event.day, n, event) for n, event in enumerate(events)]
    heapq.heapify(queue)

    def charge(day, kind, quantity, number, days, period, held):
        if not start <= day <= end:
            return None
        unit = held.unit(side)
        return Charge(
            subscription=row["upstream_id"],
            charge_type=kind,
            day=day,
            quantity=quantity,
            unit_cost=unit,
            period_days=period,
            charged_days=days,
            amount=prorated(unit, quantity, days, period, negative=kind in NEGATIVE),
            currency=currency,
            order_number=number,
            customer=row["customer__upstream_customer_id"],
            product=held.plan.name,
            seats=held.seats,
        )

    held, billing = None, None  # what it holds; its next billing date
    while queue or _due(billing, end, ended):
        if not queue or (_due(billing, end, ended) and queue[0][0] > billing):
            day, billing = billing, billing + timedelta(days=held.plan.period)
            if held.seats > 0:
                yield charge(
                    day, RECURRING, held.seats, "", held.plan.period, held.plan.period, held
                )
            continue
        day, n, event = heapq.heappop(queue)
        if event.kind == history.PURCHASE:
            held = Held(event.quantity, _own_plan(row, event.plan), anchor)
            days = period = held.plan.period
            billing = anchor + timedelta(days=period)
            if event.coterm and event.coterm[0] > anchor:  # up to the first billing date
                aligned_end, months = event.coterm
                billing, period = coterm_first_period(start=anchor, end=aligned_end, months=months)
                days = (billing - anchor).days
                held.anchor = billing - timedelta(days=held.plan.period)
            yield charge(anchor, PURCHASE, held.seats, event.number, days, period, held)
        elif event.kind == history.ARRIVAL:
            # A partial upgrade's new subscription: the moved seats, on its parent's dates.
            parent_anchor, parent_period = splits.get(event.order_id, (anchor, None))
            held = Held(event.quantity, event.plan, parent_anchor)
            left = days_left(parent_anchor, day, parent_period or held.plan.period)
            billing = day + timedelta(days=left)
            days = min(left, held.plan.period)
            yield charge(day, SWITCH_CHARGE, held.seats, event.number, days, held.plan.period, held)
        elif held is None:
            continue
        elif event.kind == BILLING_CHANGE:
            held.plan = event.plan
            held.anchor, billing = day - timedelta(days=held.plan.period), day
        elif event.kind == history.AT_RENEWAL:
            if event.policy:  # a plan switch; otherwise a seat count
                before = held.plan.period
                held.plan = event.plan
                if held.plan.period != before:  # a new billing period from the renewal on
                    held.anchor, billing = day - timedelta(days=held.plan.period), day
            else:
                held.seats = event.quantity
        elif event.kind == history.SWITCH:
            left = days_left(held.anchor, day, held.plan.period)
            if event.policy == KEEP_DATES:
                moved = event.quantity
                yield charge(day, SWITCH_REFUND, moved, event.number, left, held.plan.period, held)
                if event.partial:
                    held.seats -= moved  # charged on the new subscription
                    splits[event.order_id] = (held.anchor, held.plan.period)
                    continue
                held.plan = event.plan
                days = min(left, held.plan.period)
                yield charge(day, SWITCH_CHARGE, moved, event.number, days, held.plan.period, held)
            elif event.policy == NEW_PERIOD:
                # A new term starts that day: the unused days refunded, a whole period charged.
                seats, period = held.seats, held.plan.period
                yield charge(day, SWITCH_REFUND, seats, event.number, left, period, held)
                held.plan, held.anchor = event.plan, day
                period = held.plan.period
                billing = day + timedelta(days=period)
                yield charge(day, SWITCH_CHARGE, seats, event.number, period, period, held)
            else:  # period_change: from the next billing date, at the new plan and period
                later = _moved(event, day=day + timedelta(days=left), kind=BILLING_CHANGE)
                heapq.heappush(queue, (later.day, len(events) + n, later))
        elif event.kind == history.CHANGE:
            delta, held.seats = event.quantity - held.seats, event.quantity
            if delta:
                kind = ADDITION if delta > 0 else REDUCTION
                days = days_left(held.anchor, day, held.plan.period)
                yield charge(day, kind, abs(delta), event.number, days, held.plan.period, held)
        elif event.kind == history.CANCELLATION:
            seats, held.seats = held.seats, 0
            days = days_left(held.anchor, day, held.plan.period)
            yield charge(day, REFUND, seats, event.number, days, held.plan.period, held)


def _moved(event: Event, **changes) -> Event:
    return Event(**{**{name: getattr(event, name) for name in Event.__slots__}, **changes})


def _due(billing, end, ended) -> bool:
    return billing is not None and billing <= end and (ended is None or billing < ended)


def expected_charges(*, reseller, start: date, end: date):
    """Return ({key: Charge} expected from ``start`` to ``end``, {upstream id: Known})."""
    events = history.subscription_events(reseller)
    expected, known, splits = {}, {}, {}
    for row in _subscriptions(reseller, end).iterator(2000):
        known[row["upstream_id"]] = Known(row["pk"], row["customer_id"], row["order_id"] is None)
        for charge in subscription_charges(
            row, events.get(row["pk"], []), start, end, COST, splits
        ):
            expected[charge.key] = charge
    return expected, known


def customer_charges(*, reseller, start: date, end: date, customer=None):
    """Yield (customer pk, Charge at the selling price) of every subscription, customer by
    customer (only ``customer``'s when given), each subscription's charges in time order."""
    events = history.subscription_events(reseller)
    splits = {}
    for row in _subscriptions(reseller, end, customer).iterator(2000):
        for charge in subscription_charges(
            row, events.get(row["pk"], []), start, end, PRICE, splits
        ):
            yield row["customer_id"], charge
