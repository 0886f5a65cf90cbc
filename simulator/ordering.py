"""Placing orders: sales, change, cancellation and renewal, with the rules the platform enforces."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from . import calendar, coterming, errors, lifecycle, rating, switching
from .catalogue import period_months
from .errors import ApiError
from .parameters import ParameterCheck, first_error
from .plans import SWITCH_TYPES
from .products import check_quantity, quantity_of, resolve
from .special_prices import line_margins, line_unit_price
from .state import State

ORDER_TYPES = {"sales": "SO", "change": "CH", "cancellation": "CL", "renewal": "RN"}
HOUR = 3600.0
CENT = Decimal("0.01")


def money(amount: Decimal, currency: str) -> dict:
    return {
        "amount": str(amount.quantize(CENT, rounding=ROUND_HALF_UP)),
        "currency": currency,
    }


def owned_customer(state: State, session: dict, customer_id) -> dict:
    customer = state.customers.get(str(customer_id or ""))
    if customer is None or customer["resellerId"] != session["resellerId"]:
        raise ApiError(400, f"Customer #{customer_id} is not found.")
    return customer


def owned_subscription(state: State, session: dict, subscription_id) -> dict:
    subscription = state.subscriptions.get(str(subscription_id or ""))
    if subscription is None or subscription["_resellerId"] != session["resellerId"]:
        raise ApiError(400, f"Subscription #{subscription_id} is not found.")
    return subscription


#: Set on a customer record (by /_simulator/customers/<id>/company-validation) whose company
#: information did not pass Microsoft's validation: its sales orders need seed 004's
#: company parameters.
COMPANY_NOT_VALIDATED = "_companyNotValidated"


def reseller_mpn(state: State, session: dict) -> str | None:
    return state.resellers[session["resellerId"]].get("attributes", {}).get("tier1_mpn")


def place(state: State, session: dict, body, *, estimate: bool = False) -> dict:
    """Validate an OrderDetailed body and store it (or, for an estimate, only price it)."""
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    order_type = body.get("type", "sales")
    if order_type not in ORDER_TYPES:
        raise ApiError(400, f"Order type '{order_type}' is not supported.")
    with state.lock:
        lifecycle.advance_all(state)
        customer = owned_customer(state, session, body.get("customerId"))
        builder = {
            "sales": _sales,
            "change": _change,
            "cancellation": _cancellation,
            "renewal": _renewal,
        }[order_type]
        if order_type == "sales":
            order = _sales(state, session, customer, body, estimate=estimate)
        else:
            order = builder(state, session, customer, body)
        order.update(
            type=order_type,
            customerId=customer["id"],
            attributes={},
            creditCheck=False,
            billingModel="chargeBeforeBillingPeriod",
        )
        if body.get("poNumber") is not None:
            order["poNumber"] = str(body["poNumber"])
        if estimate:
            return order
        return _store(state, session, order)


def _store(state: State, session: dict, order: dict) -> dict:
    now = state.now()
    fate_rule = state.failures.take({"order_outcome"}, "POST", "/orders", order.get("poNumber"))
    timings = state.timings
    order.update(
        id=state.next_id("order"),
        orderNumber=state.next_order_number(ORDER_TYPES[order["type"]]),
        creationDate=lifecycle.iso_datetime(now),
        status="submitted",
        statusCode=lifecycle.SUBMITTED_CODE,
        _created=now,
        _timings=[timings.submitted, timings.assigning, timings.provisioning],
        _fate=fate_rule["outcome"] if fate_rule else "completed",
        _applied=False,
        _resellerId=session["resellerId"],
    )
    if fate_rule:
        state.stats.count_failure("order_outcome")
    if order["type"] == "sales":
        _create_subscriptions(state, session, order, now)
    state.orders[order["id"]] = order
    state.touch("orders", order["id"])
    lifecycle.schedule(state, order)
    state.stats.count_order(order.get("poNumber"))
    return order


def partner_email_domain(state: State, session: dict) -> str:
    """Return the reseller's own e-mail domain (its admin's), which customers may not use."""
    contacts = state.resellers[session["resellerId"]].get("contactPersons") or []
    email = next((c.get("email", "") for c in contacts if c.get("type") == "admin"), "")
    return email.rsplit("@", 1)[-1].lower() if "@" in email else ""


def _sales(
    state: State, session: dict, customer: dict, body: dict, *, estimate: bool = False
) -> dict:
    lines = body.get("products")
    if not isinstance(lines, list) or not lines:
        raise ApiError(400, "A sales order must have at least one product.")
    order_period = body.get("subscriptionPeriod")
    align = body.get("alignExpirationDate")
    products, details, total, tenant = [], [], Decimal(0), None
    for line in lines:
        product = resolve(state, line, order_period)
        quantity = quantity_of(line)
        check_quantity(product, quantity)
        parameters = line.get("parameters") or []
        check = ParameterCheck(
            state,
            reseller_mpn=reseller_mpn(state, session),
            product=product,
            parameters=parameters,
            order_type="sales",
            # Microsoft validates the company when the order is placed; an estimate only prices.
            company_validated=estimate or not customer.get(COMPANY_NOT_VALIDATED),
            partner_email_domain=partner_email_domain(state, session),
        )
        problem = first_error(check.results(require_all=True))
        if problem:
            raise ApiError(400, problem)
        tenant = tenant or _tenant_for(check, customer)
        start = state.now_datetime()
        natural_end = calendar.add_months(start, period_months(product["subscriptionPeriod"]))
        aligned = coterming.aligned_end(
            state, customer, product, align, today=start.date(), natural_end=natural_end.date()
        )
        price = line_unit_price(line, product)
        margins = line_margins(line)
        extended = price * quantity
        first = None
        if aligned:
            # Co-termed: the first charge covers today up to the first billing date counted
            # back from the aligned end, as its share of that billing period (coterming.py).
            billing_months = period_months(product["billingPeriod"])
            first_date, period_days = coterming.first_period(start.date(), aligned, billing_months)
            days = (first_date - start.date()).days
            extended = (price * quantity * days / period_days).quantize(CENT, ROUND_HALF_UP)
            first = {"date": first_date.isoformat(), "days": days, "periodDays": period_days}
        total += extended
        products.append(
            {
                "mpn": product["mpn"],
                "vendor": product["vendor"],
                "id": product["id"],
                "name": product["name"],
                "billingPeriod": product["billingPeriod"],
                "subscriptionPeriod": product["subscriptionPeriod"],
                "quantity": quantity,
                "extendedPrice": money(extended, "USD"),
                "parameters": parameters,
                "_unitPrice": str(price),
                "_margins": margins,
                "_alignedEnd": aligned.isoformat() if aligned else None,
                "_firstPeriod": first,
            }
        )
        detail = _detail("recurring", product, quantity, price, extended)
        if first:
            detail["description"] += (
                f" (co-termed: {first['days']} of {first['periodDays']} days, to {first['date']})"
            )
        details.append(detail)
    aligned_order = {"alignExpirationDate": align} if align else {}
    return {
        **aligned_order,
        "products": products,
        "details": details,
        "total": money(total, "USD"),
        "_tenant": tenant,
    }


def _tenant_for(check: ParameterCheck, customer: dict) -> dict:
    if check.preference == "existing":
        tenant = check.existing_tenant()
        return {"domain": tenant["domain"], "tenantId": tenant["tenantId"]}
    domain = str(check.value("microsoft_domain")).strip().lower()
    return lifecycle.new_tenant(domain, customer["id"])


def _detail(kind: str, product: dict, quantity: int, unit: Decimal, extended: Decimal) -> dict:
    billing = product["billingPeriod"]
    return {
        "type": kind,
        "mpn": product["mpn"],
        "productId": product["id"],
        "duration": {"type": billing["type"], "duration": float(billing["duration"])},
        "description": f"{'Recurring fee' if kind == 'recurring' else 'Refund'} for "
        f"{product['name']}",
        "quantity": float(quantity),
        "unitPrice": money(unit, "USD"),
        "extendedPrice": money(extended, "USD"),
    }


def _create_subscriptions(state: State, session: dict, order: dict, now: float) -> None:
    tenant = order["_tenant"]
    if tenant.get("new"):
        state.tenants[tenant["domain"]] = tenant
    for line in order["products"]:
        product = next(p for p in state.products if p["id"] == line["id"])
        subscription_id = state.next_id("subscription")
        line["_subscriptionId"] = subscription_id
        term_months = period_months(product["subscriptionPeriod"])
        start = state.now_datetime()
        renewal = line.get("_alignedEnd") or calendar.add_months(start, term_months).strftime(
            "%Y-%m-%d"
        )
        unit = Decimal(line.get("_unitPrice") or product["prices"][0]["amount"])
        state.touch("subscriptions", subscription_id)
        state.subscriptions[subscription_id] = {
            "id": subscription_id,
            "name": product["name"],
            "customerId": order["customerId"],
            "status": "pending",
            "attributes": {},
            "renewalStatus": True,
            "creationDate": start.strftime("%Y-%m-%d"),
            "renewalDate": renewal,
            "lastModifiedDate": start.strftime("%Y-%m-%d"),
            "expirationDate": renewal,
            "billingModel": "chargeBeforeBillingPeriod",
            "billingPeriod": product["billingPeriod"],
            "subscriptionPeriod": product["subscriptionPeriod"],
            "totalPrice": money(unit * line["quantity"], "USD"),
            "products": [
                {
                    "mpn": product["mpn"],
                    "vendor": product["vendor"],
                    "id": product["id"],
                    "quantity": line["quantity"],
                    "name": product["name"],
                    "unitPrice": money(unit, "USD"),
                    "unitCost": money(Decimal(product["costs"][0]["amount"]), "USD"),
                    "extendedPrice": money(unit * line["quantity"], "USD"),
                    "vendorSubscriptionId": f"{subscription_id}-{tenant['tenantId'][:8]}",
                }
            ],
            "orderParameters": [_with_value(p) for p in line["parameters"]],
            "fulfillmentParameters": [],
            "planId": 10000 + int(product["id"][3:]) % 10000,
            "_created": now,
            "_termMonths": term_months,
            "_seatAdditions": [],
            "_renewedAt": None,
            "_resellerId": session["resellerId"],
        }


def _with_value(parameter: dict) -> dict:
    """Return an order parameter as subscriptions list it: `value` is required there."""
    if "value" in parameter or not isinstance(parameter, dict):
        return parameter
    return {**parameter, "value": parameter.get("structured_value")}


def _subscription_for(state: State, session: dict, customer: dict, body: dict) -> dict:
    line = (body.get("products") or [{}])[0]
    subscription_id = body.get("subscriptionId") or (line or {}).get("subscriptionId")
    if not subscription_id:
        raise ApiError(
            400, "subscriptionId is required for change, renewal and cancellation orders."
        )
    subscription = owned_subscription(state, session, subscription_id)
    if subscription["customerId"] != customer["id"]:
        raise ApiError(
            400, f"Subscription #{subscription_id} does not belong to customer #{customer['id']}."
        )
    if subscription["status"] != "active":
        raise ApiError(
            400,
            f"Subscription #{subscription_id} is {subscription['status']}; only "
            "an active subscription can be changed.",
        )
    return subscription


def _refuse_if_open(state: State, subscription: dict) -> None:
    conflict = _open_change(state, subscription)
    if conflict:
        raise ApiError(
            500,
            errors.CONFLICTING_CHANGE.format(
                subscription=subscription["id"],
                order=conflict["orderNumber"],
                status=lifecycle.STATUS_LABELS[conflict["statusCode"]],
            ),
        )


def _open_change(state: State, subscription: dict) -> dict | None:
    bucket = state.indexed("orders").bucket(
        ("subscription", subscription["_resellerId"], subscription["id"])
    )
    for _, _, order_id in sorted(bucket.keys, key=lambda key: key[1]):
        order = state.orders[order_id]
        if (
            order["type"] == "change"
            and order["status"] in lifecycle.OPEN_STATUSES
            and order["products"][0]["_subscriptionId"] == subscription["id"]
        ):
            return order
    return None


def _change(state: State, session: dict, customer: dict, body: dict) -> dict:
    subscription = _subscription_for(state, session, customer, body)
    line = (body.get("products") or [None])[0]
    if not isinstance(line, dict):
        raise ApiError(400, "A change order must have one product with the new quantity.")
    if line.get("type") in SWITCH_TYPES:
        _refuse_if_open(state, subscription)
        billing_now = rating.billing_period_now(state, subscription)
        return switching.build(state, subscription, body, line, money, billing_now=billing_now)
    new_total = quantity_of(line)
    product = next(p for p in state.products if p["id"] == subscription["products"][0]["id"])
    check_quantity(product, new_total)
    _refuse_if_open(state, subscription)
    current = subscription["products"][0]["quantity"]
    delta = new_total - current
    if delta == 0:
        raise ApiError(400, f"Subscription #{subscription['id']} already has {current} seats.")
    if body.get("scheduledOn") == "renewal":
        # The only way to reduce seats after the window (README §2.9).
        switching.refuse_if_scheduled(state, subscription)
        return switching.schedule_quantity(subscription, product, new_total, delta, money)
    if delta < 0:
        _check_reduction(state, subscription, -delta)
    unit = Decimal(subscription["products"][0]["unitPrice"]["amount"])
    kind = "recurring" if delta > 0 else "recurringRefund"
    detail = _detail(kind, product, abs(delta), unit, unit * delta)
    return {
        "subscriptionId": subscription["id"],
        "products": [
            {
                "mpn": product["mpn"],
                "vendor": product["vendor"],
                "id": product["id"],
                "name": product["name"],
                "billingPeriod": product["billingPeriod"],
                "subscriptionPeriod": product["subscriptionPeriod"],
                "quantity": delta,
                "extendedPrice": money(unit * delta, "USD"),
                "parameters": line.get("parameters", []),
                "_subscriptionId": subscription["id"],
            }
        ],
        "details": [detail],
        "total": money(unit * delta, "USD"),
    }


def _window(state: State) -> float:
    return state.config.cancellation_window_hours * HOUR


def _check_reduction(state: State, subscription: dict, seats: int) -> None:
    now = state.now()
    purchase_or_renewal = max(subscription["_created"], subscription.get("_renewedAt") or 0)
    if now - purchase_or_renewal <= _window(state):
        return
    if seats <= lifecycle.seats_added_since(subscription, now - _window(state)):
        return
    raise ApiError(400, errors.QUANTITY_CANNOT_DECREASE)


def _cancellation(state: State, session: dict, customer: dict, body: dict) -> dict:
    subscription = _subscription_for(state, session, customer, body)
    now = state.now()
    window = _window(state)
    purchase_or_renewal = max(subscription["_created"], subscription.get("_renewedAt") or 0)
    seats = subscription["products"][0]["quantity"]
    if now - purchase_or_renewal <= window:
        since = purchase_or_renewal
    else:
        seats = lifecycle.seats_added_since(subscription, now - window)
        since = lifecycle.window_start_for_cancellation(subscription)
        if seats == 0:
            days = state.config.cancellation_window_hours // 24
            raise ApiError(400, errors.CANCELLATION_WINDOW_PASSED.format(days=days))
    product = next(p for p in state.products if p["id"] == subscription["products"][0]["id"])
    unit = Decimal(subscription["products"][0]["unitPrice"]["amount"])
    period_days = calendar.term_days(subscription["billingPeriod"])
    used_days = min(period_days, math.floor((now - since) / 86400))
    refund = unit * seats * Decimal(period_days - used_days) / Decimal(period_days)
    detail = _detail("recurringRefund", product, seats, unit, -refund)
    detail["description"] = (
        f"Prorated refund for {seats} seat(s) of {product['name']} "
        f"({period_days - used_days} of {period_days} days)"
    )
    return {
        "subscriptionId": subscription["id"],
        "details": [detail],
        "total": money(-refund, "USD"),
        "_seatsCancelled": seats,
    }


def _renewal(state: State, session: dict, customer: dict, body: dict) -> dict:
    subscription = _subscription_for(state, session, customer, body)
    return {"subscriptionId": subscription["id"], "total": dict(subscription["totalPrice"])}
