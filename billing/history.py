"""What happened to each subscription that costs something, read from the product's own records.

Every completed order's line becomes an ``Event`` of the subscription it acts on: a purchase,
a seat change, a cancellation, a plan switch (with the plan it moved to, from the switch's own
line and ``Order.plan_switch``), or a change the renewal applied. A partial upgrade's new
subscription gets the switch as its first event. Each query covers one reseller at once, so
the ledger costs the same few queries for ten subscriptions or ten thousand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal

from django.db.models import Q

from orders.coterming import month_end_before, months_added, period_months
from orders.models import Order, OrderLine, Subscription, SubscriptionEvent
from orders.subscription_events import Kind as SubscriptionKind

from .charges import PERIOD_DAYS

PURCHASE, CHANGE, CANCELLATION = "purchase", "change", "cancellation"
SWITCH, ARRIVAL = "switch", "arrival"  # a switch on its subscription; a partial one's new one
AT_RENEWAL = "at_renewal"  # seats or a plan the renewal applied
NEXT_TERM = "next_subscription_period"
END_OF_MONTH, ON_DATE = "end_of_month", "on_date"


@dataclass(frozen=True, slots=True)
class Plan:
    """What a seat is billed at: the unit cost and selling price, and the billing period."""

    cost: Decimal
    price: Decimal
    period: int  # days
    name: str


@dataclass(frozen=True, slots=True)
class Event:
    day: date
    order_id: int
    kind: str
    quantity: int  # seats on the line: the new total of a seat change, those moved by a switch
    number: str  # the marketplace's order number
    plan: Plan  # the line's plan (the one switched to, for a switch)
    policy: str = ""  # a switch's billingPolicy
    partial: bool = False
    coterm: tuple | None = None  # a co-termed purchase: (aligned end, billing period)


def _day(moment) -> date:
    return moment.astimezone(UTC).date()


def _plan(values: dict) -> Plan:
    """The plan of an order line: its own unit cost and price, else its product's."""
    cost = values["unit_cost"] if values["unit_cost"] is not None else values["product__cost"]
    price = values["unit_price"] if values["unit_price"] is not None else values["product__price"]
    return Plan(
        cost=Decimal(cost or 0),
        price=Decimal(price or 0),
        period=PERIOD_DAYS.get(values["product__billing_period"], 30),
        name=values["product__name"],
    )


def subscription_events(reseller) -> dict[int, list[Event]]:
    """Return, per subscription pk, the events of its completed orders (not yet in order)."""
    found = defaultdict(list)
    # Completed once, whatever since: a purchase later cancelled was still bought and billed.
    lines = (
        OrderLine.objects.filter(order__reseller=reseller, order__completed_at__isnull=False)
        .exclude(subscription=None)
        .values(
            "subscription_id",
            "order_id",
            "order__kind",
            "order__upstream_order_number",
            "order__completed_at",
            "order__plan_switch",
            "order__at_renewal",
            "order__applied_at",
            "quantity",
            "unit_cost",
            "unit_price",
            "product__cost",
            "product__price",
            "product__billing_period",
            "product__term",
            "product__name",
        )
    )
    moved_to = dict(
        Subscription.objects.filter(
            customer__reseller=reseller, order__kind=Order.Kind.CHANGE
        ).values_list("order_id", "pk")
    )
    coterm = _coterm_ends(reseller)
    for values in lines.iterator(2000):
        event = _event(values, coterm)
        if event is None:
            continue
        found[values["subscription_id"]].append(event)
        if event.kind == SWITCH and event.partial and values["order_id"] in moved_to:
            fields = {name: getattr(event, name) for name in Event.__slots__}
            arrival = Event(**{**fields, "kind": ARRIVAL})
            found[moved_to[values["order_id"]]].append(arrival)
    return found


def _event(values: dict, coterm: dict) -> Event | None:
    kind, switch = values["order__kind"], values["order__plan_switch"] or {}
    day = _day(values["order__completed_at"])
    common = {
        "order_id": values["order_id"],
        "quantity": values["quantity"],
        "number": values["order__upstream_order_number"],
        "plan": _plan(values),
    }
    if kind == Order.Kind.SALES:
        how = coterm.get(values["order_id"])
        aligned = None
        if how is not None:
            ends_on = _aligned_end(how, values["product__term"])
            aligned = (ends_on, period_months(values["product__billing_period"]))
        return Event(day=day, kind=PURCHASE, coterm=aligned, **common)
    if kind == Order.Kind.CANCELLATION:
        return Event(day=day, kind=CANCELLATION, **common)
    if values["order__at_renewal"] or switch.get("when_effective") == NEXT_TERM:
        # Nothing is charged when it completes; the renewal applies it (the day it did so).
        if values["order__applied_at"] is None:
            return None
        return Event(
            day=_day(values["order__applied_at"]),
            kind=AT_RENEWAL,
            policy=switch.get("billing_policy", ""),
            **common,
        )
    if switch:
        return Event(
            day=day,
            kind=SWITCH,
            policy=switch.get("billing_policy", ""),
            partial=bool(switch.get("partial")),
            **common,
        )
    return Event(day=day, kind=CHANGE, **common)


def _coterm_ends(reseller) -> dict:
    """Return {sales order pk: (END_OF_MONTH, purchase day) or (ON_DATE, aligned end)}.

    The end the order was aligned to: the end of the calendar month before the term's
    anniversary, or the renewal date the subscription co-termed with had on the day of the
    purchase (from that subscription's renewals: each recorded the date it renewed on).
    """
    orders = Order.objects.filter(reseller=reseller, kind=Order.Kind.SALES).filter(
        Q(coterm_with__isnull=False) | Q(coterm_end_of_month=True)
    )
    rows = list(
        orders.values("pk", "coterm_with_id", "coterm_end_of_month", "coterm_with__renewal_date")
    )
    if not rows:
        return {}
    purchased = dict(
        Subscription.objects.filter(order_id__in=[r["pk"] for r in rows]).values_list(
            "order_id", "created_at"
        )
    )
    renewed = defaultdict(list)
    for subscription_id, details in SubscriptionEvent.objects.filter(
        kind=SubscriptionKind.RENEWED, subscription_id__in=[r["coterm_with_id"] for r in rows]
    ).values_list("subscription_id", "details"):
        if details.get("renewed_on"):
            renewed[subscription_id].append(date.fromisoformat(details["renewed_on"]))
    ends = {}
    for row in rows:
        if row["pk"] not in purchased:
            continue
        day = _day(purchased[row["pk"]])
        if row["coterm_end_of_month"]:
            ends[row["pk"]] = (END_OF_MONTH, day)
            continue
        dates = renewed[row["coterm_with_id"]] + [row["coterm_with__renewal_date"]]
        later = [d for d in dates if d is not None and d > day]
        if later:
            ends[row["pk"]] = (ON_DATE, min(later))
    return ends


def _aligned_end(how: tuple, term: str) -> date:
    kind, day = how
    if kind == END_OF_MONTH:  # day: the purchase's
        return month_end_before(months_added(day, period_months(term)))
    return day
