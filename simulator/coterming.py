"""Co-terming a new subscription: ``alignExpirationDate`` checked against the product's rule.

The spec gives ``Coterming {required, type}`` on products and ``AlignExpirationDate
{alignmentType, subscriptionId}`` on orders, not the rules between them; what is enforced
here is the simulator's reading (docs/upstream.md, "Co-terming").
"""

from __future__ import annotations

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
