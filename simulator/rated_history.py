"""A subscription's billing history replayed from the simulator's own records, day by day.

What it held (seats, the plan's unit cost, the billing period and the dates that period falls
on) changes with each completed order; every change that costs something makes a rated line.
The rules are the simulator's (the spec and the notes are silent on them; docs/upstream.md
"Reports" lists them): a billing period is 30 days a month, 365 a year; a change on day D
charges the days left of the period D falls in, ``P - (D - A) mod P`` for billing dates
``A + kP``; changes on a day come before that day's recurring charge.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from . import calendar, lifecycle, plans, switching
from .calendar import days_left

KEEP_DATES = "prorate_keeping_exp_date"
NEW_PERIOD = "prorate_starting_new_subscription_period"


def _day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


@dataclass
class Held:
    """What a subscription holds while its history is replayed."""

    seats: int
    mpn: str
    name: str
    cost: Decimal
    currency: str
    period: int  # days of a billing period
    anchor: date  # billing dates fall on anchor + k × period

    def become(self, billed: dict) -> None:
        """Take the plan a switch moved to (``switching.billed_as``)."""
        self.mpn, self.name = billed["mpn"], billed["name"]
        self.cost = Decimal(billed["unitCost"]["amount"])
        self.currency = billed["unitCost"]["currency"]
        self.period = calendar.term_days(billed["billingPeriod"])


def events(subscription: dict, orders: list[dict]) -> list[tuple]:
    """Return (day, order, kind, data) of each completed order of the subscription.

    A subscription with no order of the API's (bought elsewhere: the estate) was purchased on
    its creation date with the seats it holds.
    """
    found = []
    for order in orders:
        day = _day(lifecycle.finished_at(order))
        if order["type"] == "sales":
            line = next(p for p in order["products"] if p["_subscriptionId"] == subscription["id"])
            created = date.fromisoformat(subscription["creationDate"])
            data = {"quantity": int(line["quantity"]), "first": line.get("_firstPeriod")}
            found.append((created, order, "purchase", data))
        elif order["type"] == "cancellation":
            found.append((day, order, "cancellationRefund", {"quantity": order["_seatsCancelled"]}))
        elif order.get("_scheduled"):
            # Placed for the renewal: nothing is charged when it is placed; it takes effect on
            # the day the renewal applied it, before that day's recurring charge.
            if order.get("_appliedAt"):
                applied = date.fromisoformat(order["_appliedAt"][:10])
                if order["_switch"]["type"] == switching.QUANTITY:
                    delta = int(order["products"][0]["quantity"])
                    found.append((applied, order, "scheduledSeats", {"quantity": delta}))
                else:
                    found.append((applied, order, "scheduledSwitch", {}))
        elif order.get("_switch"):
            line = order["products"][0]
            if line["_subscriptionId"] == subscription["id"]:
                found.append((day, order, "switch", {}))
            else:
                found.append((day, order, "arrival", {}))
        else:
            delta = int(order["products"][0]["quantity"])
            kind = "seatAddition" if delta > 0 else "seatReduction"
            found.append((day, order, kind, {"quantity": abs(delta)}))
    if not any(kind in {"purchase", "arrival"} for _, _, kind, _ in found):
        created = date.fromisoformat(subscription["creationDate"])
        quantity = int(subscription["products"][0]["quantity"])
        found.append((created, None, "purchase", {"quantity": quantity, "first": None}))
    order_key = lambda e: (e[0], lifecycle.finished_at(e[1]) if e[1] else 0)  # noqa: E731
    return sorted(found, key=order_key)


def _initial(subscription: dict, found: list[tuple]) -> dict:
    """What the subscription was billed as when bought: before its first switch, else now."""
    for _, order, kind, _ in found:
        if kind in {"switch", "scheduledSwitch"} and order.get("_billedFrom"):
            return order["_billedFrom"]
    return switching.billed_as(subscription)


def _billed_to(state, order: dict) -> dict:
    """The plan a switch moved to (kept on the order; the catalogue row for an older one)."""
    if order.get("_billedTo"):
        return order["_billedTo"]
    target = next(p for p in state.products if p["id"] == order["_switch"]["targetId"])
    return {
        "mpn": target["mpn"],
        "name": target["name"],
        "unitCost": {"amount": target["costs"][0]["amount"], "currency": "USD"},
        "billingPeriod": target["billingPeriod"],
    }


def replay(state, subscription: dict, orders: list[dict], end: date, splits: dict) -> Iterator:
    """Yield (day, chargeType, quantity, orderNumber, chargedDays, periodDays, Held, sign) of
    every charge of the subscription up to `end`.

    ``splits`` carries, from a partial upgrade's parent (replayed first: its id is lower) to
    the subscription it made, the billing dates the new one shares: {order id: (anchor, P)}.
    """
    found = events(subscription, orders)
    initial = _initial(subscription, found)
    queue = [(day, n, kind, order, data) for n, (day, order, kind, data) in enumerate(found)]
    heapq.heapify(queue)
    extra = len(queue)
    ended = None
    if subscription["status"] in {"terminated", "removed"}:
        ended = date.fromisoformat(subscription.get("expirationDate") or "9999-12-31")
    held: Held | None = None
    billing: date | None = None  # the next billing date

    def recurring_due() -> bool:
        return billing is not None and billing <= end and (ended is None or billing < ended)

    while queue or recurring_due():
        if not queue or (recurring_due() and queue[0][0] > billing):
            day, billing = billing, billing + timedelta(days=held.period)
            if held.seats > 0:
                yield day, "recurring", held.seats, "", held.period, held.period, held, 1
            continue
        day, _, kind, order, data = heapq.heappop(queue)
        number = order["orderNumber"] if order else ""
        if kind == "purchase":
            held = Held(data["quantity"], "", "", Decimal(0), "USD", 0, day)
            held.become(initial)
            first = data.get("first")
            if first:  # co-termed: a share of the period up to the first billing date
                billing = date.fromisoformat(first["date"])
                held.anchor = billing - timedelta(days=held.period)
                charged, period = first["days"], first["periodDays"]
            else:
                billing = day + timedelta(days=held.period)
                charged = period = held.period
            yield day, "purchase", held.seats, number, charged, period, held, 1
            continue
        if kind == "arrival":
            # A partial upgrade's new subscription: the moved seats, on the parent's dates.
            moved = order["_switch"]["quantity"]
            anchor, parent_period = splits.get(order["id"], (day, None))
            held = Held(moved, "", "", Decimal(0), "USD", 0, anchor)
            held.become(_billed_to(state, order))
            left = days_left(anchor, day, parent_period or held.period)
            billing = day + timedelta(days=left)
            charged = min(left, held.period)
            yield day, "switchCharge", moved, number, charged, held.period, held, 1
            continue
        if held is None:
            continue
        if kind == "billingChange":
            held.become(data)
            held.anchor, billing = day - timedelta(days=held.period), day
        elif kind == "scheduledSeats":
            held.seats += data["quantity"]
        elif kind == "scheduledSwitch":
            before = held.period
            held.become(_billed_to(state, order))
            if held.period != before:  # a new billing period from the renewal on
                held.anchor, billing = day - timedelta(days=held.period), day
        elif kind == "switch":
            yield from _switch(state, order, day, held, splits)
            policy = _policy(order["_switch"])
            if policy == NEW_PERIOD:
                billing = day + timedelta(days=held.period)
            elif policy != KEEP_DATES:  # period_change: the next billing date, at the new plan
                left = days_left(held.anchor, day, held.period)
                change = (day + timedelta(days=left), extra, "billingChange", order)
                heapq.heappush(queue, (*change, _billed_to(state, order)))
                extra += 1
        else:
            sign = -1 if kind in {"seatReduction", "cancellationRefund"} else 1
            held.seats += sign * data["quantity"]
            left = days_left(held.anchor, day, held.period)
            yield day, kind, data["quantity"], number, left, held.period, held, sign


def _switch(state, order: dict, day: date, held: Held, splits: dict) -> Iterator:
    """Yield an immediate switch's lines and move ``held`` to the new plan (or seats off it)."""
    switch, number = order["_switch"], order["orderNumber"]
    policy = _policy(switch)
    left = days_left(held.anchor, day, held.period)
    if policy == KEEP_DATES:
        moved = switch["quantity"]
        yield day, "switchRefund", moved, number, left, held.period, held, -1
        if order["products"][0].get("targetSubscriptionId"):
            held.seats -= moved  # the moved seats are charged on the new subscription
            splits[order["id"]] = (held.anchor, held.period)
            return
        held.become(_billed_to(state, order))
        charged = min(left, held.period)
        yield day, "switchCharge", moved, number, charged, held.period, held, 1
    elif policy == NEW_PERIOD:
        # A new term starts today: the unused days are refunded, a whole new period charged.
        yield day, "switchRefund", held.seats, number, left, held.period, held, -1
        held.become(_billed_to(state, order))
        held.anchor = day
        yield day, "switchCharge", held.seats, number, held.period, held.period, held, 1


def _policy(switch: dict) -> str:
    """The switch's billingPolicy (an order stored before it was kept: by its type)."""
    if switch.get("billingPolicy"):
        return switch["billingPolicy"]
    return KEEP_DATES if switch["type"] == plans.UPGRADE else "period_change"
