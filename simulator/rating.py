"""Rated data: what the platform charges the reseller, line by line, from its own records.

One line per charge, at the subscription's `unitCost` (the reseller's cost), prorated by day:

* `purchase` on the subscription's creation date, for the whole first billing period;
* `seatAddition` / `seatReduction` on the date a change order completed, for the days left in
  the billing period it falls in (a reduction is negative);
* `cancellationRefund` on the date a cancellation completed, the unused days given back;
* `recurring` on every later billing-period start while seats remain, for a whole period.

Changes on a day are applied before that day's recurring charge. A billing period is 30 days a
month and 365 a year (as the cancellation refunds count them); amounts are rounded half-up to the
cent per line. Scripted faults (`report_faults` in the state) change the lines on the way out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import calendar, lifecycle
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


def _day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, UTC).date()


def days_left(anchor: date, day: date, period_days: int) -> int:
    """Return the days from `day` to the end of the billing period it falls in, `day` included."""
    return period_days - (day - anchor).days % period_days


def _orders_by_subscription(state: State, reseller_id: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = defaultdict(list)
    for order in state.orders.values():
        if order["_resellerId"] != reseller_id or order["status"] != "completed":
            continue
        if order["type"] == "sales":
            for line in order["products"]:
                found[line["_subscriptionId"]].append(order)
        elif order["type"] in {"change", "cancellation"}:
            found[order.get("subscriptionId") or order["products"][0]["_subscriptionId"]].append(
                order
            )
    return found


def _events(subscription: dict, orders: list[dict]) -> list[tuple[date, str, int, str]]:
    """Return (day, chargeType, seats, orderNumber) of each completed order, in time order."""
    events = []
    for order in sorted(orders, key=lambda o: (lifecycle.finished_at(o), int(o["id"]))):
        day = _day(lifecycle.finished_at(order))
        if order["type"] == "sales":
            line = next(p for p in order["products"] if p["_subscriptionId"] == subscription["id"])
            day = date.fromisoformat(subscription["creationDate"])
            events.append((day, "purchase", int(line["quantity"]), order["orderNumber"]))
        elif order["type"] == "change":
            delta = int(order["products"][0]["quantity"])
            kind = "seatAddition" if delta > 0 else "seatReduction"
            events.append((day, kind, abs(delta), order["orderNumber"]))
        else:
            events.append(
                (day, "cancellationRefund", order["_seatsCancelled"], order["orderNumber"])
            )
    return events


def subscription_lines(subscription: dict, orders: list[dict], start: date, end: date):
    """Yield the rated lines of one subscription dated from `start` to `end` (no line ids)."""
    product = subscription["products"][0]
    period = calendar.term_days(subscription["billingPeriod"])
    anchor = date.fromisoformat(subscription["creationDate"])
    cost = Decimal(product.get("unitCost", product["unitPrice"])["amount"])
    ended = None
    if subscription["status"] in {"terminated", "removed"}:
        ended = date.fromisoformat(subscription.get("expirationDate") or "9999-12-31")
    seats = 0
    events = _events(subscription, orders)
    index = 0
    anniversary = anchor + timedelta(days=period)
    while index < len(events) or (anniversary <= end and (ended is None or anniversary < ended)):
        if index < len(events) and (events[index][0] <= anniversary or anniversary > end):
            day, kind, quantity, number = events[index]
            index += 1
            sign = -1 if kind in {"seatReduction", "cancellationRefund"} else 1
            seats += sign * quantity
            charged = period if kind == "purchase" else days_left(anchor, day, period)
        else:
            day, kind, quantity, number, charged = anniversary, "recurring", seats, "", period
            sign = 1
            anniversary += timedelta(days=period)
            if seats <= 0 or (ended is not None and day >= ended):
                continue
        if start <= day <= end:
            amount = (cost * quantity * charged / period).quantize(CENT, rounding=ROUND_HALF_UP)
            yield {
                "chargeDate": day.isoformat(),
                "customerId": subscription["customerId"],
                "subscriptionId": subscription["id"],
                "orderNumber": number,
                "mpn": product["mpn"],
                "productName": product["name"],
                "chargeType": kind,
                "quantity": quantity,
                "unitCost": str(cost),
                "periodDays": period,
                "chargedDays": charged,
                "amount": str(sign * amount),
                "currency": product.get("unitCost", product["unitPrice"])["currency"],
            }


def rated_lines(state: State, reseller_id: str, start: date, end: date) -> Iterator[dict]:
    """Yield every rated line of the reseller from `start` to `end`, faults applied, numbered."""
    faults = defaultdict(list)
    for fault in state.report_faults:
        faults[fault["subscriptionId"]].append(fault)
    orders = _orders_by_subscription(state, reseller_id)
    number = 0
    for subscription_id in sorted(orders, key=int):
        subscription = state.subscriptions.get(subscription_id)
        if subscription is None:
            continue
        for line in subscription_lines(subscription, orders[subscription_id], start, end):
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
