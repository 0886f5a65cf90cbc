"""Upgrade and term/billing change orders (line `type` UPGRADE or CHANGE_PLAN_PERIOD).

They are change orders (`CH…`): order-level `planId` names the target plan, the line the
subscription and how many seats move. A switch the source plan does not offer is refused
when placed. An immediate switch applies when the order completes; one effective at the next
subscription period must say `scheduledOn: renewal` and is applied by the renewal.
The line's `specialPrice` (spec 1.15, "the price of one item") prices a seat of the new plan,
as it prices a sales line's subscription; without it the new plan's list price does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from . import calendar, plans
from .calendar import days_left
from .catalogue import period_months
from .errors import ApiError
from .products import quantity_of
from .special_prices import line_unit_price
from .state import State

DAY = 86400.0
#: A seat change scheduled for the renewal (its own marker; not a line type of the spec).
QUANTITY = "QUANTITY"


def build(
    state: State, subscription: dict, body: dict, line: dict, money, *, billing_now=None
) -> dict:
    """Return the stored part of a switch order, or raise the platform's refusal.

    ``billing_now`` is (anchor, days) of the billing period the subscription is in today, as
    its bill counts it (``rating.billing_period_now``); None if it was never billed.
    """
    source = _product(state, subscription)
    kind = line.get("type")
    target_plan = body.get("planId") or line.get("planId")
    if not target_plan:
        raise ApiError(400, "planId is required for an upgrade or a plan period change.")
    switch = plans.find_switch(state, source, target_plan)
    if switch is None or switch["type"] != kind:
        raise ApiError(
            400,
            f"Subscription #{subscription['id']} cannot be switched from plan "
            f"#{plans.plan_id(source)} to plan #{target_plan}: the plan does not offer "
            f"this {'upgrade' if kind == plans.UPGRADE else 'period change'}.",
        )
    seats = subscription["products"][0]["quantity"]
    quantity = quantity_of(line)
    if kind == plans.UPGRADE and not 1 <= quantity <= seats:
        raise ApiError(
            400, f"An upgrade moves 1 to {seats} seats of subscription #{subscription['id']}."
        )
    if kind == plans.CHANGE_PLAN_PERIOD and quantity != seats:
        raise ApiError(400, f"A plan period change moves all {seats} seats of the subscription.")
    scheduled = body.get("scheduledOn") == "renewal"
    if switch["whenEffective"] == "next_subscription_period" and not scheduled:
        raise ApiError(
            400,
            "This switch takes effect at the next subscription period: place it with "
            "scheduledOn 'renewal'.",
        )
    if scheduled:
        refuse_if_scheduled(state, subscription)
    target = switch["target"]
    new_unit = line_unit_price(line, target)
    charge = (
        Decimal(0)
        if scheduled
        else _charge(state, subscription, source, target, switch, quantity, new_unit, billing_now)
    )
    extended = money(charge, "USD")
    order = {
        "subscriptionId": subscription["id"],
        "planId": str(plans.plan_id(target)),
        "products": [
            {
                "type": kind,
                "mpn": source["mpn"],
                "vendor": source["vendor"],
                "id": source["id"],
                "newMPN": target["mpn"],
                "newId": target["id"],
                "name": target["name"],
                "billingPeriod": target["billingPeriod"],
                "subscriptionPeriod": target["subscriptionPeriod"],
                "quantity": quantity,
                "extendedPrice": extended,
                "parameters": line.get("parameters", []),
                "_subscriptionId": subscription["id"],
            }
        ],
        "details": []
        if scheduled
        else [_detail(source, target, quantity, charge, new_unit, switch, money)],
        "total": extended,
        "_switch": {
            "type": kind,
            "targetId": target["id"],
            "quantity": quantity,
            "billingPolicy": switch["billingPolicy"],
            "whenEffective": switch["whenEffective"],
            "unitPrice": money(new_unit, "USD")["amount"],
        },
        "_scheduled": scheduled,
    }
    if scheduled:
        order["scheduledOn"] = "renewal"
    if body.get("upgradeStartType"):
        order["upgradeStartType"] = str(body["upgradeStartType"])
    return order


def apply(state: State, order: dict, at: float) -> None:
    """Apply a completed switch order now, or keep it for the renewal if it is scheduled."""
    line = order["products"][0]
    subscription = state.subscriptions[line["_subscriptionId"]]
    line["subscriptionId"] = subscription["id"]
    if order.get("_scheduled"):
        subscription.setdefault("_scheduledChanges", []).append(
            {"orderId": order["id"], **order["_switch"]}
        )
        return
    order["_billedFrom"] = billed_as(subscription)
    new_id = apply_switch(state, subscription, order["_switch"], at)
    order["_billedTo"] = billed_as(state.subscriptions[new_id] if new_id else subscription)
    if new_id:
        line["targetSubscriptionId"] = new_id
        line["newSubscription"] = {"id": int(new_id), "coterming": True, "type": "NEW"}


def billed_as(subscription: dict) -> dict:
    """Return what the subscription is billed as now: kept on a switch order, before and after,
    so the rated data prices each day at what the subscription held then (rating.py)."""
    line = subscription["products"][0]
    return {
        "mpn": line["mpn"],
        "name": line["name"],
        "unitCost": dict(line.get("unitCost") or line["unitPrice"]),
        "billingPeriod": dict(subscription["billingPeriod"]),
    }


def schedule_quantity(subscription: dict, product: dict, new_total: int, delta: int, money) -> dict:
    """Return a seat change for the next renewal: nothing is charged or refunded now."""
    return {
        "subscriptionId": subscription["id"],
        "scheduledOn": "renewal",
        "products": [
            {
                "mpn": product["mpn"],
                "vendor": product["vendor"],
                "id": product["id"],
                "name": product["name"],
                "billingPeriod": product["billingPeriod"],
                "subscriptionPeriod": product["subscriptionPeriod"],
                "quantity": delta,
                "extendedPrice": money(Decimal(0), "USD"),
                "parameters": [],
                "_subscriptionId": subscription["id"],
            }
        ],
        "details": [],
        "total": money(Decimal(0), "USD"),
        "_switch": {"type": QUANTITY, "quantity": new_total},
        "_scheduled": True,
    }


def refuse_if_scheduled(state: State, subscription: dict) -> None:
    """Refuse a second change for the same renewal: the first must be cancelled first."""
    for change in subscription.get("_scheduledChanges", []):
        order = state.orders[change["orderId"]]
        raise ApiError(
            400,
            f"Subscription #{subscription['id']} already has a change scheduled for its "
            f"renewal (order #{order['orderNumber']}); cancel that order first.",
        )


def cancel_scheduled(state: State, order: dict) -> bool:
    """Cancel a completed order's change still waiting for the renewal; False if there is none."""
    if not order.get("_scheduled") or order["status"] != "completed":
        return False
    subscription = state.subscriptions[order["products"][0]["_subscriptionId"]]
    waiting = subscription.get("_scheduledChanges", [])
    if not any(c["orderId"] == order["id"] for c in waiting):
        return False
    subscription["_scheduledChanges"] = [c for c in waiting if c["orderId"] != order["id"]]
    order.update(status="cancelled", statusCode="CL", _cancelledAt=state.now())
    state.touch("subscriptions", subscription["id"])
    return True


def apply_at_renewal(state: State, subscription: dict, at: float) -> None:
    """Apply the changes scheduled for this renewal, before it is charged."""
    for change in subscription.pop("_scheduledChanges", []):
        if change["type"] == QUANTITY:
            subscription["products"][0]["quantity"] = change["quantity"]
            calendar.refresh_totals(subscription)
        else:
            order = state.orders[change["orderId"]]
            order["_billedFrom"] = billed_as(subscription)
            apply_switch(state, subscription, change, at, at_renewal=True)
            order["_billedTo"] = billed_as(subscription)
        state.orders[change["orderId"]]["_appliedAt"] = calendar.iso_datetime(at)
        state.touch("orders", change["orderId"])
    subscription["lastModifiedDate"] = calendar.iso_date(at)


def apply_switch(
    state: State, subscription: dict, switch: dict, at: float, *, at_renewal: bool = False
) -> str | None:
    """Move the seats to the target product; return a partial upgrade's new subscription id.

    At a renewal a new term starts anyway: the renewal moves the date by the new term.
    """
    target = next(p for p in state.products if p["id"] == switch["targetId"])
    seats = subscription["products"][0]["quantity"]
    subscription["lastModifiedDate"] = calendar.iso_date(at)
    if switch["type"] == plans.UPGRADE and switch["quantity"] < seats:
        subscription["products"][0]["quantity"] = seats - switch["quantity"]
        calendar.refresh_totals(subscription)
        return _partial_copy(state, subscription, target, switch, at)
    _set_product(subscription, target, switch)
    if switch["type"] == plans.CHANGE_PLAN_PERIOD:
        term_months = period_months(target["subscriptionPeriod"])
        if term_months != subscription["_termMonths"] and at_renewal:
            subscription["_termMonths"] = term_months
        elif term_months != subscription["_termMonths"]:
            start = datetime.fromtimestamp(at, tz=UTC)
            subscription["_termMonths"] = term_months
            subscription["renewalDate"] = calendar.add_months(start, term_months).strftime(
                "%Y-%m-%d"
            )
            subscription["expirationDate"] = subscription["renewalDate"]
            subscription["_renewedAt"] = at
            state.schedule_renewal(subscription)
    calendar.refresh_totals(subscription)
    return None


def _set_product(subscription: dict, target: dict, switch: dict) -> None:
    line = subscription["products"][0]
    price = switch.get("unitPrice") or target["prices"][0]["amount"]
    line.update(
        mpn=target["mpn"],
        vendor=target["vendor"],
        id=target["id"],
        name=target["name"],
        unitPrice={"amount": price, "currency": "USD"},
        unitCost={"amount": target["costs"][0]["amount"], "currency": "USD"},
    )
    subscription.update(
        name=target["name"],
        planId=plans.plan_id(target),
        billingPeriod=dict(target["billingPeriod"]),
        subscriptionPeriod=dict(target["subscriptionPeriod"]),
    )


def _partial_copy(state: State, source: dict, target: dict, switch: dict, at: float) -> str:
    """Create the upgraded part as a subscription of its own, co-termed with its parent."""
    new_id = state.next_id("subscription")
    seats = switch["quantity"]
    line = {**source["products"][0], "quantity": seats}
    copy = {
        **source,
        "id": new_id,
        "products": [line],
        "creationDate": calendar.iso_date(at),
        "attributes": {},
        "_seatAdditions": [],
        "_scheduledChanges": [],
        # A partial upgrade inherits the parent's cancellation window (README §2.9).
        "_created": source["_created"],
    }
    line["vendorSubscriptionId"] = f"{new_id}-{line['vendorSubscriptionId'].split('-', 1)[-1]}"
    _set_product(copy, target, switch)
    calendar.refresh_totals(copy)
    state.subscriptions[new_id] = copy
    state.touch("subscriptions", new_id)
    state.schedule_renewal(copy)
    return new_id


def _product(state: State, subscription: dict) -> dict:
    return next(p for p in state.products if p["id"] == subscription["products"][0]["id"])


def _charge(
    state, subscription, source, target, switch, quantity, new_unit, billing_now
) -> Decimal:
    """Return what the switch charges now (negative: a refund), prorated daily, at the
    subscription's price and the new plan's (``new_unit``)."""
    old_unit = Decimal(subscription["products"][0]["unitPrice"]["amount"])
    if switch["billingPolicy"] == "period_change":
        return Decimal(0)  # the next bill is at the new price; nothing is charged now
    period_days = calendar.term_days(source["billingPeriod"])
    left = _days_left(state, subscription, period_days, billing_now)
    unused = old_unit * quantity * Decimal(left) / Decimal(period_days)
    if switch["billingPolicy"] == "prorate_keeping_exp_date":
        target_days = calendar.term_days(target["billingPeriod"])
        return new_unit * quantity * Decimal(min(left, target_days)) / Decimal(target_days) - unused
    # prorate_starting_new_subscription_period: a new period starts now, the old is refunded.
    return new_unit * quantity - unused


def _days_left(state: State, subscription: dict, period_days: int, billing_now) -> int:
    """Return the days left in the billing period today falls in, today included, counted as
    the subscription's bill counts them (``billing_now``)."""
    if billing_now is None:  # never billed yet: the days to its renewal, at most one period
        renewal = datetime.fromisoformat(subscription["renewalDate"]).replace(tzinfo=UTC)
        left = (renewal.timestamp() - state.now()) / DAY
        return max(0, min(period_days, int(left) + (1 if left % 1 else 0)))
    anchor, days = billing_now
    return days_left(anchor, state.now_datetime().date(), days)


def _detail(source, target, quantity, charge, new_unit, switch, money) -> dict:
    billing = target["billingPeriod"]
    verb = "Upgrade" if switch["type"] == plans.UPGRADE else "Plan period change"
    return {
        "type": "recurring" if charge >= 0 else "recurringRefund",
        "mpn": target["mpn"],
        "productId": target["id"],
        "duration": {"type": billing["type"], "duration": float(billing["duration"])},
        "description": f"{verb} of {quantity} seat(s) from {source['name']} to "
        f"{target['name']} ({switch['billingPolicy']})",
        "quantity": float(quantity),
        "unitPrice": money(new_unit, "USD"),
        "extendedPrice": money(charge, "USD"),
    }
