"""/_simulator/: controls for tests and demos. Not part of the real API; needs no credentials."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, current_app, request

from .. import accounts, auth, estate, lifecycle, ordering, rating
from ..config import RateLimit, Timings
from ..failures import RuleError
from .common import state

control = Blueprint("control", __name__, url_prefix="/_simulator")


def _body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _bad(message: str):
    return {"error": message}, 400


@control.post("/reset")
def reset():
    state().reset_and_save()
    current_app.extensions["simulator_requests"].clear()
    return {"reset": True}


@control.get("/requests")
def requests_list():
    """The timed request log, oldest first: `?since=<seq>` (the last `next`) for what came after."""
    values = {}
    for name, default in (("since", 0), ("limit", 10_000)):
        raw = request.args.get(name, "")
        try:
            values[name] = int(raw) if raw else default
        except ValueError:
            return _bad(f"{name} must be a whole number.")
        if values[name] < 0:
            return _bad(f"{name} must not be negative.")
    return current_app.extensions["simulator_requests"].read(values["since"], values["limit"])


@control.get("/stats")
def stats():
    return state().stats.as_json()


@control.get("/failures")
def failures_list():
    return {"failures": state().failures.list()}


@control.post("/failures")
def failures_add():
    body = request.get_json(silent=True)
    rules = body if isinstance(body, list) else [body]
    try:
        added = [state().failures.add(rule) for rule in rules]
    except RuleError as error:
        return _bad(str(error))
    return {"failures": added}, 201


@control.delete("/failures")
def failures_clear():
    state().failures.clear()
    return {"failures": []}


@control.delete("/failures/<rule_id>")
def failures_remove(rule_id):
    if not state().failures.remove(rule_id):
        return {"error": f"No failure rule {rule_id}."}, 404
    return {"removed": rule_id}


@control.get("/clock")
def clock_get():
    simulator = state()
    return {"now": lifecycle.iso_datetime(simulator.now()), "offsetSeconds": simulator.clock_offset}


@control.post("/clock")
def clock_set():
    """Move the simulated clock: {"offsetSeconds": N} sets it, {"advanceSeconds": N} adds to it."""
    simulator, body = state(), _body()
    with simulator.lock:
        if isinstance(body.get("offsetSeconds"), int | float):
            simulator.clock_offset = float(body["offsetSeconds"])
        elif isinstance(body.get("advanceSeconds"), int | float):
            simulator.clock_offset += float(body["advanceSeconds"])
        else:
            return _bad("Send offsetSeconds or advanceSeconds (a number of seconds).")
        lifecycle.advance_all(simulator)
        simulator.save()
    return clock_get()


@control.get("/timings")
def timings_get():
    return asdict(state().timings)


@control.post("/timings")
def timings_set():
    """Set the phase durations of orders placed from now on: submitted, assigning, provisioning."""
    simulator, body = state(), _body()
    values = asdict(simulator.timings)
    for name in values:
        if name in body:
            if not isinstance(body[name], int | float) or body[name] < 0:
                return _bad(f"{name} must be a non-negative number of seconds.")
            values[name] = float(body[name])
    simulator.timings = Timings(**values)
    return asdict(simulator.timings)


@control.post("/rate-limit")
def rate_limit_set():
    """Set the per-key budget {"limit": 10, "windowSeconds": 60, "retryAfter": true}; {} clears."""
    simulator, body = state(), _body()
    if not body.get("limit"):
        simulator.rate_limit = None
    else:
        if not isinstance(body["limit"], int) or body["limit"] < 1:
            return _bad("limit must be a positive integer.")
        simulator.rate_limit = RateLimit(
            limit=body["limit"],
            window_seconds=float(body.get("windowSeconds", 60)),
            retry_after=bool(body.get("retryAfter", True)),
        )
    simulator.rate_windows.clear()
    return {"rateLimit": asdict(simulator.rate_limit) if simulator.rate_limit else None}


@control.post("/tokens/expire")
def tokens_expire():
    return {"expired": auth.expire_all_tokens(state())}


@control.post("/taken-prefixes")
def taken_prefix_add():
    """Mark a tenant prefix as taken: {"prefix": "contoso2"}."""
    simulator, prefix = state(), str(_body().get("prefix") or "").strip().lower()
    if not prefix.isalnum():
        return _bad("prefix must be letters and digits.")
    with simulator.lock:
        if prefix not in simulator.taken_prefixes:
            simulator.taken_prefixes.append(prefix)
        simulator.save()
    return {"takenPrefixes": simulator.taken_prefixes}


@control.post("/resellers")
def reseller_onboard():
    """Open a reseller account as the distributor does: {"name": "Contoso Partners",
    "mpnId": "5000001", "resellerDomain": "contosopartners.onmicrosoft.com"}. Answers its API
    user, password and subscription key (a quota of its own)."""
    body = _body()
    try:
        made = accounts.reseller_onboard(
            state(),
            name=str(body.get("name") or ""),
            mpn_id=str(body.get("mpnId") or ""),
            reseller_domain=str(body.get("resellerDomain") or ""),
        )
    except accounts.AccountError as error:
        return _bad(str(error))
    return made, 201


@control.post("/tenants")
def tenant_add():
    """Add a tenant the customer made itself: {"domain": "contoso7.onmicrosoft.com",
    "relationship": true, "mcaAccepted": false}."""
    body = _body()
    flags = {name: body.get(name, False) for name in ("relationship", "mcaAccepted")}
    if not all(isinstance(value, bool) for value in flags.values()):
        return _bad("relationship and mcaAccepted must be true or false.")
    try:
        tenant = accounts.tenant_add(
            state(),
            domain=str(body.get("domain") or ""),
            relationship=flags["relationship"],
            mca_accepted=flags["mcaAccepted"],
        )
    except accounts.AccountError as error:
        return _bad(str(error))
    return tenant, 201


@control.get("/tenants/<path:domain>")
def tenant_get(domain):
    """Return what the simulator knows of a tenant, incl. a new tenant's first admin login."""
    tenant = state().tenants.get(domain.lower())
    if tenant is None:
        return {"error": f"No tenant {domain}."}, 404
    return tenant


@control.post("/tenants/<path:domain>/relationship")
def tenant_relationship_set(domain):
    """Play the tenant's Global Admin accepting (or revoking) the reseller relationship:
    {"accepted": true}."""
    simulator, accepted = state(), _body().get("accepted")
    if not isinstance(accepted, bool):
        return _bad("accepted must be true or false.")
    with simulator.lock:
        tenant = simulator.tenants.get(domain.lower())
        if tenant is None:
            return {"error": f"No tenant {domain}."}, 404
        tenant["relationship"] = accepted
        simulator.touch("tenants", tenant["domain"])
        simulator.save()
    return tenant


@control.post("/customers/<customer_id>/company-validation")
def customer_company_validation(customer_id):
    """Script Microsoft's verdict on a customer's company information: {"passed": false} makes
    its sales orders be refused unless they carry seed 004's company parameters."""
    simulator, passed = state(), _body().get("passed")
    if not isinstance(passed, bool):
        return _bad("passed must be true or false.")
    with simulator.lock:
        customer = simulator.customers.get(str(customer_id))
        if customer is None:
            return {"error": f"No customer {customer_id}."}, 404
        if passed:
            customer.pop(ordering.COMPANY_NOT_VALIDATED, None)
        else:
            customer[ordering.COMPANY_NOT_VALIDATED] = True
        simulator.touch("customers", customer["id"])
        simulator.save()
    return {"customerId": customer["id"], "companyValidationPassed": passed}


@control.get("/report-faults")
def report_faults_list():
    return {"faults": state().report_faults}


@control.post("/report-faults")
def report_faults_add():
    """Script a fault in the rated-data reports: {kind: duplicate | drop_refund | price,
    subscriptionId, chargeType?, unitCost? (price)}. Kept until /reset."""
    body = _body()
    problem = rating.fault_problem(body)
    if problem:
        return _bad(problem)
    fault = {
        k: str(body[k]) for k in ("kind", "subscriptionId", "chargeType", "unitCost") if k in body
    }
    with state().lock:
        state().report_faults.append(fault)
        state().touch_singleton("report_faults")
        state().save()
    return {"faults": state().report_faults}, 201


@control.post("/estate")
def estate_seed():
    """Seed a reseller's estate bought elsewhere: {"resellerId": "1000001", "customers": 60,
    "subscriptions": 500, "seed": 23}."""
    simulator, body = state(), _body()
    numbers = {name: body.get(name, default) for name, default in (("customers", 1), ("seed", 23))}
    numbers["subscriptions"] = body.get("subscriptions", 0)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in numbers.values()):
        return _bad("customers, subscriptions and seed must be whole numbers.")
    with simulator.lock:
        try:
            made = estate.estate_seed(
                simulator, reseller_id=str(body.get("resellerId") or ""), **numbers
            )
        except estate.EstateError as error:
            return _bad(str(error))
    return made, 201


@control.post("/subscriptions/<subscription_id>/outside")
def subscription_outside(subscription_id):
    """Change a subscription behind the product's back, as the distributor's portal would:
    {"quantity": 12, "renewalStatus": false, "status": "terminated"} (any of them)."""
    simulator = state()
    with simulator.lock:
        try:
            changed = estate.subscription_change_outside(simulator, subscription_id, _body())
        except estate.EstateError as error:
            return _bad(str(error))
    return {"id": changed["id"], "status": changed["status"]}


@control.post("/customers/<customer_id>/subscriptions/outside")
def subscription_added_outside(customer_id):
    """Buy a subscription for a customer elsewhere: {"mpn": "CFQ7TTC0LH18:0001", "quantity": 3}
    (the first product of the MPN, or the first product when none is named)."""
    simulator, body = state(), _body()
    with simulator.lock:
        customer = simulator.customers.get(str(customer_id))
        if customer is None:
            return {"error": f"No customer {customer_id}."}, 404
        products = [p for p in simulator.products if p["mpn"] == body.get("mpn", p["mpn"])]
        quantity = body.get("quantity", 1)
        if not products or not isinstance(quantity, int) or quantity < 1:
            return _bad("Name a product's mpn and a positive whole quantity.")
        record = estate.subscription_add(
            simulator,
            reseller_id=customer["resellerId"],
            customer_id=customer["id"],
            product=products[0],
            quantity=quantity,
        )
        simulator.save()
    return {"id": record["id"]}, 201
