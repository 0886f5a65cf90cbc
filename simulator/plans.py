"""Service plans and the switches each allows: upgrades within a family, term and billing changes.

One plan per catalogue row (an offer at one term and billing period), so a switch's target
``planId`` names exactly one product. The spec gives the switch's fields (`planSwitches`:
target `planId`, `subscriptionPeriod`, `billingPolicy`, `whenEffective`) but not which
switches Microsoft offers; the families and rules below follow NCE (README §2.9) and are
listed in docs/upstream.md.
"""

from __future__ import annotations

from .catalogue import period_months
from .state import State

#: Offers a subscription may be upgraded along, lowest first (same segment, same periods).
FAMILIES = (
    ("CFQ7TTC0LH18:0001", "CFQ7TTC0LDPB:0001", "CFQ7TTC0LCHC:0002"),  # Business Basic → Premium
    ("CFQ7TTC0LFLX:0001", "CFQ7TTC0LFLZ:0002"),  # Microsoft 365 E3 → E5
    ("CFQ7TTC0LF8Q:0001", "CFQ7TTC0LF8R:0001"),  # Office 365 E1 → E3
    ("CFQ7TTC0LH16:0001", "CFQ7TTC0LH0R:0001"),  # Exchange Online Plan 1 → Plan 2
    ("CFQ7TTC0LFLS:0001", "CFQ7TTC0LFK5:0001"),  # Entra ID P1 → P2
    ("CFQ7TTC0LH18:0004", "CFQ7TTC0LDPB:0004", "CFQ7TTC0LCHC:0004"),  # nonprofit Basic → Premium
)
UPGRADE = "UPGRADE"
CHANGE_PLAN_PERIOD = "CHANGE_PLAN_PERIOD"
SWITCH_TYPES = (UPGRADE, CHANGE_PLAN_PERIOD)


def plan_id(product: dict) -> int:
    """Return the id of the plan a product row is sold under (as subscriptions carry it)."""
    return 10000 + int(product["id"][3:]) % 10000


def product_of_plan(state: State, plan: int | str) -> dict | None:
    for product in state.products:
        if str(plan_id(product)) == str(plan):
            return product
    return None


def plan_row(product: dict) -> dict:
    """Return the plan as ``GET /plans`` lists it (``ServicePlan``)."""
    return {
        "id": str(plan_id(product)),
        "name": product["name"],
        "shortDescription": product["name"],
        "published": True,
        "subscriptionPeriods": [dict(product["subscriptionPeriod"])],
        "billingPeriod": dict(product["billingPeriod"]),
        "billingModel": product["billingModel"],
    }


def plan_detail(state: State, product: dict) -> dict:
    """Return the plan with the switches it allows (``ServicePlanDetailed``)."""
    return {**plan_row(product), "planSwitches": [s["view"] for s in switches(state, product)]}


def switches(state: State, product: dict) -> list[dict]:
    """Return each switch the product's plan allows: ``{"type", "target", "view"}``."""
    found = []
    own_pair = (_key(product["subscriptionPeriod"]), _key(product["billingPeriod"]))
    for target in state.products:
        if target["vendor"] != product["vendor"] or target["id"] == product["id"]:
            continue
        pair = (_key(target["subscriptionPeriod"]), _key(target["billingPeriod"]))
        if _is_upgrade(product["mpn"], target["mpn"]) and pair == own_pair:
            found.append(
                _switch(product, target, UPGRADE, "prorate_keeping_exp_date", "immediately")
            )
        elif target["mpn"] == product["mpn"]:
            rule = _period_rule(product, target)
            if rule:
                found.append(_switch(product, target, CHANGE_PLAN_PERIOD, *rule))
    return found


def find_switch(state: State, product: dict, target_plan) -> dict | None:
    for switch in switches(state, product):
        if switch["view"]["planId"] == _int(target_plan):
            return switch
    return None


def _is_upgrade(source_mpn: str, target_mpn: str) -> bool:
    for family in FAMILIES:
        if source_mpn in family and target_mpn in family:
            return family.index(target_mpn) > family.index(source_mpn)
    return False


def _period_rule(source: dict, target: dict) -> tuple[str, str] | None:
    """Return (billingPolicy, whenEffective) for a term or billing change, None if not allowed.

    A term can move longer mid-term, starting a new term now with the unused part refunded;
    a shorter term only at the renewal; a billing change on the same term at the next
    billing date, except on a triennial term (blocked since 2025-04-01, README §2.9).
    """
    source_term = period_months(source["subscriptionPeriod"])
    target_term = period_months(target["subscriptionPeriod"])
    if target_term > source_term:
        return "prorate_starting_new_subscription_period", "immediately"
    if target_term < source_term:
        return "period_change", "next_subscription_period"
    if source_term == 36:
        return None
    return "period_change", "next_billing_period"


def _switch(source: dict, target: dict, kind: str, policy: str, when: str) -> dict:
    return {
        "type": kind,
        "target": target,
        "billingPolicy": policy,
        "whenEffective": when,
        "view": {
            "planId": plan_id(target),
            "subscriptionPeriod": dict(target["subscriptionPeriod"]),
            "billingPolicy": policy,
            "whenEffective": when,
            "sourceSubscriptionPeriod": dict(source["subscriptionPeriod"]),
        },
    }


def _key(period: dict) -> tuple[str, int]:
    return period["type"], int(period["duration"])


def _int(value) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
