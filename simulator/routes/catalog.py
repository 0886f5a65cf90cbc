"""Products and validation of activation parameters."""

from __future__ import annotations

from flask import request

from ..errors import ApiError
from ..ordering import owned_customer, reseller_mpn
from ..parameters import ParameterCheck
from ..plans import plan_detail, plan_row, product_of_plan
from ..products import candidates
from .api import api
from .common import json_body, not_found, paginate, session, state


@api.get("/products")
def products_list():
    args = request.args
    rows = state().products
    if args.get("name"):
        rows = [p for p in rows if args["name"].lower() in p["name"].lower()]
    if args.get("serviceName"):
        rows = [p for p in rows if p["serviceName"] == args["serviceName"]]
    if args.get("mpn"):
        rows = [p for p in rows if p["mpn"] == args["mpn"]]
    if args.get("vendor"):
        rows = [p for p in rows if p["vendor"] == args["vendor"]]
    return paginate(rows, dict)


@api.post("/validation/parameters")
def validate_parameters():
    simulator = state()
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("products"), list):
        raise ApiError(400, "products is required.")
    with simulator.lock:
        owned_customer(simulator, session(), body.get("customerId"))
        results = []
        for line in body["products"]:
            if not isinstance(line, dict) or not isinstance(line.get("parameters"), list):
                raise ApiError(400, "Each product must have a parameters list.")
            found = candidates(simulator, line) if (line.get("mpn") or line.get("id")) else []
            product = found[0] if found else None
            check = ParameterCheck(
                simulator,
                reseller_mpn=reseller_mpn(simulator, session()),
                product=product,
                parameters=line["parameters"],
                order_type=body.get("type", "sales"),
            )
            result = {
                key: line[key]
                for key in (
                    "id",
                    "mpn",
                    "vendor",
                    "billingPeriod",
                    "subscriptionPeriod",
                    "draftRequestId",
                )
                if key in line
            }
            result["parameters"] = check.results(require_all=False)
            results.append(result)
        return {
            "data": results,
            "pagination": {"offset": 0, "limit": len(results), "total": len(results)},
        }


@api.get("/plans")
def plans_list():
    return paginate(state().products, plan_row)


@api.get("/plans/<plan_id>")
def plans_get(plan_id):
    simulator = state()
    product = product_of_plan(simulator, plan_id)
    if product is None:
        raise not_found("Plan", plan_id)
    return plan_detail(simulator, product)
