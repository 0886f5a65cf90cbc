"""Co-terming a new subscription: ``alignExpirationDate`` checked against the product's rule.

The spec gives ``Coterming {required, type}`` on products and ``AlignExpirationDate
{alignmentType, subscriptionId}`` on orders, not the rules between them; what is enforced
here is the simulator's reading (docs/upstream.md, "Co-terming").
"""

from __future__ import annotations

import calendar
from datetime import date

from .errors import ApiError
from .state import State

ON_SUBSCRIPTION = "CO_TERM_ON_SUBSCRIPTION"
END_OF_MONTH = "MATCH_END_OF_CALENDAR_MONTH"


def _active_subscriptions(state: State, customer: dict) -> list[dict]:
    return [
        s
        for s in state.subscriptions.values()
        if s["customerId"] == customer["id"] and s["status"] == "active"
    ]


def month_end_before(day: date) -> date:
    """The last day of the month before ``day``'s month."""
    first = day.replace(day=1)
    previous = first.toordinal() - 1
    return date.fromordinal(previous)


def months_back(day: date, months: int) -> date:
    """``day`` moved back by ``months``, kept inside a shorter month (31 Mar → 28/29 Feb)."""
    year, month = divmod(day.month - 1 - months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def first_period(start: date, end: date, billing_months: int) -> tuple[date, int]:
    """Return the first billing date of a subscription bought on ``start`` and co-termed to end
    on ``end``, and the days of the billing period that date closes.

    Billing dates fall every billing period counted back from the end; the first is the
    earliest after ``start``, and its billing period runs one billing period back from it. The
    first charge is the share ``(first - start) / period days`` of a whole period
    (docs/upstream.md, "Co-terming").
    """
    first, back = end, 1
    while (earlier := months_back(end, billing_months * back)) > start:
        first, back = earlier, back + 1
    return first, (first - months_back(first, billing_months)).days


def aligned_end(
    state: State, customer: dict, product: dict, align, *, today: date, natural_end: date
) -> date | None:
    """Return the end date ``align`` gives ``product``'s new subscription, or None (not aligned).

    Raises ApiError when the product's rule or the alignment itself refuses it.
    """
    rule = product.get("coterming") or {}
    required, kind = rule.get("required"), rule.get("type")
    name = product["name"]
    if not align:
        if required == "MANDATORY" and _active_subscriptions(state, customer):
            raise ApiError(
                400,
                f"Product {name} must be co-termed with the customer's existing subscriptions "
                "(coterming MANDATORY): send alignExpirationDate.",
            )
        return None
    if not isinstance(align, dict):
        raise ApiError(400, "alignExpirationDate must be an object.")
    if required == "RESTRICTED":
        raise ApiError(400, f"Product {name} cannot be co-termed (coterming RESTRICTED).")
    alignment = align.get("alignmentType")
    if alignment == ON_SUBSCRIPTION and kind == "SUBSCRIPTION":
        target = state.subscriptions.get(str(align.get("subscriptionId")))
        if target is None or target["customerId"] != customer["id"]:
            raise ApiError(404, f"Subscription {align.get('subscriptionId')} is not found.")
        if target["status"] != "active":
            raise ApiError(
                400, f"Subscription {target['id']} is not active: cannot co-term with it."
            )
        end = date.fromisoformat(target["renewalDate"])
    elif alignment == END_OF_MONTH and kind == "END_OF_MONTH":
        end = month_end_before(natural_end)
    else:
        raise ApiError(
            400, f"Product {name} cannot be aligned with {alignment} (coterming type {kind})."
        )
    if not today < end <= natural_end:
        raise ApiError(
            400,
            f"Product {name} cannot be co-termed to {end.isoformat()}: the date must fall "
            f"after today and no later than the end of its own term ({natural_end.isoformat()}).",
        )
    return end
