"""A reseller's estate bought elsewhere: customers and subscriptions seeded as if ordered through
the distributor's portal over the years, and changes made behind the product's back.

Driven by the control routes (``POST /_simulator/estate``, ``POST /_simulator/subscriptions/<id>/
outside``); the API then lists and serves these records like any other.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal

from . import lifecycle
from .catalogue import period_months
from .ordering import money
from .seed import _customer
from .state import State

DAY = 86400.0
CITIES = [
    ("Denver", "CO", "80202"),
    ("Austin", "TX", "78701"),
    ("Madison", "WI", "53703"),
    ("Raleigh", "NC", "27601"),
    ("Tucson", "AZ", "85701"),
]
#: What a change behind the product's back may set.
OUTSIDE_FIELDS = {"quantity", "renewalStatus", "status"}


class EstateError(ValueError):
    """A seeding or outside change that cannot be done; its message says why."""


def _products(state: State) -> list[dict]:
    rows = [p for p in state.products if p.get("vendor") == "Microsoft"]
    return sorted(rows, key=lambda p: int(p["id"][3:]) if p["id"][3:].isdigit() else 0)


def estate_seed(
    state: State, *, reseller_id: str, customers: int, subscriptions: int, seed: int = 23
) -> dict:
    """Create ``customers`` customers and ``subscriptions`` subscriptions spread over them."""
    if reseller_id not in state.resellers:
        raise EstateError(f"No reseller {reseller_id}.")
    if customers < 1 or subscriptions < 0:
        raise EstateError("customers must be at least 1 and subscriptions not negative.")
    rng = random.Random(seed)
    products = _products(state)
    now = state.now()
    made = []
    for index in range(customers):
        cid = state.next_id("customer")
        city, region, postal = CITIES[index % len(CITIES)]
        record = _customer(
            cid,
            reseller_id,
            f"Estate Customer {cid}",
            city,
            region,
            postal,
            f"{100 + index} Main Street",
            "Sam",
            f"Owner{index}",
            f"owner{cid}@estate.example",
            "+13035550100",
        )
        record["_created"] = now - DAY * (800 - index % 700)
        state.customers[cid] = record
        state.touch("customers", cid)
        made.append(cid)
    ids = [
        subscription_add(
            state,
            reseller_id=reseller_id,
            customer_id=made[index % len(made)],
            product=products[rng.randrange(len(products))],
            quantity=rng.randint(1, 40),
            age_days=rng.randint(10, 700),
        )["id"]
        for index in range(subscriptions)
    ]
    state.save()
    return {"customerIds": made, "subscriptionIds": ids}


def subscription_add(
    state: State,
    *,
    reseller_id: str,
    customer_id: str,
    product: dict,
    quantity: int,
    age_days: int = 0,
) -> dict:
    """Create an active subscription bought ``age_days`` ago elsewhere (no order of the API's)."""
    subscription_id = state.next_id("subscription")
    created = state.now() - age_days * DAY
    start = datetime.fromtimestamp(created, tz=UTC)
    months = period_months(product["subscriptionPeriod"])
    renewal = lifecycle.add_months(start, months)
    while renewal <= state.now_datetime():
        renewal = lifecycle.add_months(renewal, months)
    unit = Decimal(product["prices"][0]["amount"])
    record = {
        "id": subscription_id,
        "name": product["name"],
        "customerId": customer_id,
        "status": "active",
        "attributes": {},
        "renewalStatus": True,
        "creationDate": start.strftime("%Y-%m-%d"),
        "renewalDate": renewal.strftime("%Y-%m-%d"),
        "lastModifiedDate": start.strftime("%Y-%m-%d"),
        "expirationDate": renewal.strftime("%Y-%m-%d"),
        "billingModel": "chargeBeforeBillingPeriod",
        "billingPeriod": product["billingPeriod"],
        "subscriptionPeriod": product["subscriptionPeriod"],
        "totalPrice": money(unit * quantity, "USD"),
        "products": [
            {
                "mpn": product["mpn"],
                "vendor": product["vendor"],
                "id": product["id"],
                "quantity": quantity,
                "name": product["name"],
                "unitPrice": money(unit, "USD"),
                "unitCost": money(Decimal(product["costs"][0]["amount"]), "USD"),
                "extendedPrice": money(unit * quantity, "USD"),
                "vendorSubscriptionId": f"{subscription_id}-estate",
            }
        ],
        "orderParameters": [],
        "fulfillmentParameters": [],
        "planId": 10000 + int(product["id"][3:]) % 10000,
        "_created": created,
        "_termMonths": months,
        "_seatAdditions": [],
        "_renewedAt": None,
        "_resellerId": reseller_id,
    }
    state.subscriptions[subscription_id] = record
    state.touch("subscriptions", subscription_id)
    state.schedule_renewal(record)
    return record


def subscription_change_outside(state: State, subscription_id: str, change: dict) -> dict:
    """Change a subscription as the distributor's portal would: seats, auto-renewal, status."""
    subscription = state.subscriptions.get(str(subscription_id))
    if subscription is None:
        raise EstateError(f"No subscription {subscription_id}.")
    unknown = set(change) - OUTSIDE_FIELDS
    if unknown or not change:
        raise EstateError(f"Send one or more of {sorted(OUTSIDE_FIELDS)}.")
    if "quantity" in change:
        quantity = change["quantity"]
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise EstateError("quantity must be a positive whole number.")
        product = subscription["products"][0]
        product["quantity"] = quantity
        unit = Decimal(product["unitPrice"]["amount"])
        product["extendedPrice"] = money(unit * quantity, "USD")
        subscription["totalPrice"] = money(unit * quantity, "USD")
    if "renewalStatus" in change:
        if not isinstance(change["renewalStatus"], bool):
            raise EstateError("renewalStatus must be true or false.")
        subscription["renewalStatus"] = change["renewalStatus"]
    if "status" in change:
        if change["status"] not in {"active", "terminated", "hold"}:
            raise EstateError("status must be active, terminated or hold.")
        subscription["status"] = change["status"]
        if change["status"] == "terminated":
            subscription["expirationDate"] = lifecycle.iso_date(state.now())
    subscription["lastModifiedDate"] = lifecycle.iso_date(state.now())
    state.touch("subscriptions", subscription["id"])
    state.save()
    return subscription
