"""The platform's own renewals: at a subscription's renewal date it renews, or it expires.

In real data renewal orders (RN…) are most of a week's orders and carry no
products, only the subscription id (upstream README §1.8). An active
subscription whose renewal date has come gets such an order, completed at once,
when auto-renew (``renewalStatus``) is on; with auto-renew off it terminates on
that date. Runs whenever subscriptions are read, over the subscriptions whose renewal date has
come (`State.due_renewals`), not over all of them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from . import lifecycle, switching
from .ordering import ORDER_TYPES
from .state import State


def renew_due(state: State) -> int:
    """Renew (or expire) every subscription whose renewal date has passed; return how many."""
    today = state.now_datetime().date().isoformat()
    handled = 0
    for subscription_id in state.due_renewal_ids(today):
        subscription = state.subscriptions[subscription_id]
        while subscription["status"] == "active" and subscription["renewalDate"] <= today:
            handled += 1
            at = _midnight(subscription["renewalDate"])
            if not subscription["renewalStatus"]:
                subscription["status"] = "terminated"
                subscription["expirationDate"] = subscription["renewalDate"]
                subscription["lastModifiedDate"] = subscription["renewalDate"]
                state.touch("subscriptions", subscription["id"])
                break
            switching.apply_at_renewal(state, subscription, at)
            _renewal_order(state, subscription, at)
    return handled


def _renewal_order(state: State, subscription: dict, at: float) -> None:
    order = {
        "id": state.next_id("order"),
        "orderNumber": state.next_order_number(ORDER_TYPES["renewal"]),
        "type": "renewal",
        "customerId": subscription["customerId"],
        "subscriptionId": subscription["id"],
        "total": dict(subscription["totalPrice"]),
        "attributes": {},
        "creditCheck": False,
        "billingModel": "chargeBeforeBillingPeriod",
        "creationDate": lifecycle.iso_datetime(at),
        "provisioningDate": lifecycle.iso_datetime(at),
        "status": "completed",
        "statusCode": "CP",
        "_created": at,
        "_timings": [0, 0, 0],
        "_fate": "completed",
        "_applied": True,
        "_resellerId": subscription["_resellerId"],
    }
    lifecycle._apply_renewal(state, order, at, True)
    state.orders[order["id"]] = order
    state.touch("orders", order["id"])
    state.touch("subscriptions", subscription["id"])


def _midnight(day: str) -> float:
    return datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()
