"""Rated data: what the platform charges the reseller, line by line, from its own records.

One line per charge, at the unit cost (the reseller's cost) of the plan the subscription held
that day, prorated by day (rated_history.py replays each subscription's orders):

* `purchase` on the subscription's creation date, for the whole first billing period; a
  co-termed one (`alignExpirationDate`) for the days up to its first billing date, counted
  back from the aligned end, as a share of that billing period;
* `seatAddition` / `seatReduction` on the date a change order completed, for the days left in
  the billing period it falls in (a reduction is negative);
* `cancellationRefund` on the date a cancellation completed, the unused days given back;
* `switchRefund` / `switchCharge` on the date an immediate plan switch completed: the old
  plan's moved seats refunded and the new plan's charged for the days left of the period
  (`prorate_keeping_exp_date`: an upgrade; a partial one charges the new subscription), or, for
  a longer term (`prorate_starting_new_subscription_period`), the unused days refunded and a
  whole new billing period charged, the billing dates starting again that day;
* `recurring` on every later billing-period start while seats remain, for a whole period.

A `period_change` switch charges nothing when it completes; the next billing date is at the
new plan and period. A change scheduled for the renewal (`scheduledOn: renewal`) charges nothing
when placed; it applies on the renewal day (a new billing period starts then if the period
changed). A subscription bought elsewhere (the estate: no order of the API's) is rated as
bought on its creation date with the seats it holds.

A billing period is 30 days a month and 365 a year (as the cancellation refunds count them);
amounts are rounded half-up to the cent per line. Scripted faults (`report_faults` in the
state) change the lines on the way out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import rated_history
from .state import State

COLUMNS = (
    "lineId",
    "chargeDate",
    "customerId",
    "subscriptionId",
    "orderNumber",
    "mpn",
    "productName",
    "chargeType",
    "quantity",
    "unitCost",
    "periodDays",
    "chargedDays",
    "amount",
    "currency",
)
FAULT_KINDS = {"duplicate", "drop_refund", "price"}
CENT = Decimal("0.01")


def _orders_by_subscription(state: State, reseller_id: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for order in state.orders.values():
        if order["_resellerId"] != reseller_id or order["status"] != "completed":
            continue
        if order["type"] == "sales":
            for line in order["products"]:
                found[line["_subscriptionId"]].append(order)
        elif order["type"] in {"change", "cancellation"}:
            line = (order.get("products") or [{}])[0]
            found[order.get("subscriptionId") or line["_subscriptionId"]].append(order)
            if line.get("targetSubscriptionId"):  # a partial upgrade's new subscription
                found[line["targetSubscriptionId"]].append(order)
    return found


def billing_period_now(state: State, subscription: dict) -> tuple[date, int] | None:
    """Return (anchor, days) of the billing period the subscription is in today, as its rated
    history counts them: billing dates fall on anchor + k × days (None if never billed)."""
    orders = _orders_by_subscription(state, subscription["_resellerId"])
    today = state.now_datetime().date()
    splits: dict = {}
    # A partial upgrade's new subscription is billed on its parent's dates: replay those first.
    for order in orders.get(subscription["id"], []):
        line = (order.get("products") or [{}])[0]
        parent_id = order.get("subscriptionId")
        if line.get("targetSubscriptionId") == subscription["id"] and parent_id in orders:
            parent = state.subscriptions[parent_id]
            for _ in rated_history.replay(state, parent, orders[parent_id], today, splits):
                pass
    own = orders.get(subscription["id"], [])
    charges = list(rated_history.replay(state, subscription, own, today, splits))
    if not charges:
        return None
    held = charges[-1][6]  # what the subscription holds after its last charge
    return held.anchor, held.period


def subscription_lines(
    state: State, subscription: dict, orders: list[dict], start: date, end: date, splits: dict
):
    """Yield the rated lines of one subscription dated from `start` to `end` (no line ids)."""
    for day, kind, quantity, number, charged, period, held, sign in rated_history.replay(
        state, subscription, orders, end, splits
    ):
        if not start <= day <= end:
            continue
        amount = (held.cost * quantity * charged / period).quantize(CENT, rounding=ROUND_HALF_UP)
        yield {
            "chargeDate": day.isoformat(),
            "customerId": subscription["customerId"],
            "subscriptionId": subscription["id"],
            "orderNumber": number,
            "mpn": held.mpn,
            "productName": held.name,
            "chargeType": kind,
            "quantity": quantity,
            "unitCost": str(held.cost),
            "periodDays": period,
            "chargedDays": charged,
            "amount": str(sign * amount),
            "currency": held.currency,
        }


def rated_lines(state: State, reseller_id: str, start: date, end: date) -> Iterator[dict]:
    """Yield every rated line of the reseller from `start` to `end`, faults applied, numbered."""
    faults = defaultdict(list)
    for fault in state.report_faults:
        faults[fault["subscriptionId"]].append(fault)
    orders = _orders_by_subscription(state, reseller_id)
    ids = [s["id"] for s in state.subscriptions.values() if s["_resellerId"] == reseller_id]
    number, splits = 0, {}
    for subscription_id in sorted(ids, key=int):
        subscription = state.subscriptions[subscription_id]
        if subscription["status"] == "pending" or (
            subscription["status"] == "removed" and subscription_id not in orders
        ):
            continue  # not provisioned (yet), or its purchase failed: never billed
        found = orders.get(subscription_id, [])
        lines = subscription_lines(state, subscription, found, start, end, splits)
        for line in lines:
            for copy in _with_faults(line, faults.get(subscription_id, ())):
                number += 1
                yield {"lineId": str(number), **copy}


def _with_faults(line: dict, faults) -> list[dict]:
    lines = [line]
    for fault in faults:
        if fault.get("chargeType") not in (None, line["chargeType"]):
            continue
        if fault["kind"] == "duplicate":
            lines.append(dict(line))
        elif fault["kind"] == "drop_refund" and line["chargeType"] == "cancellationRefund":
            return []
        elif fault["kind"] == "price":
            cost = Decimal(fault["unitCost"])
            ratio = Decimal(line["chargedDays"]) / Decimal(line["periodDays"])
            amount = (cost * line["quantity"] * ratio).quantize(CENT, rounding=ROUND_HALF_UP)
            sign = -1 if line["amount"].startswith("-") else 1
            for each in lines:
                each.update(unitCost=str(cost), amount=str(sign * amount))
    return lines


def fault_problem(body: dict) -> str | None:
    """Return what is wrong with a scripted report fault, or None."""
    if body.get("kind") not in FAULT_KINDS:
        return f"kind must be one of {', '.join(sorted(FAULT_KINDS))}."
    if not str(body.get("subscriptionId") or "").isdigit():
        return "subscriptionId must be a subscription id."
    if body["kind"] == "price":
        try:
            Decimal(str(body.get("unitCost")))
        except ArithmeticError:
            return "unitCost must be a decimal amount."
    return None
