"""Customers: list, get, create, patch; a reseller sees only its own."""

from __future__ import annotations

import copy

from flask import request

from ..customer_rules import check_customer
from ..views import customer_view
from .api import api
from .common import json_body, newest_first, not_found, paginate, session, state

CREATE_FIELDS = (
    "externalId",
    "attributes",
    "name",
    "address",
    "contactPersons",
    "language",
    "taxRegId",
)
UPDATE_FIELDS = ("externalId", "name", "taxRegId", "status", "address", "contactPersons")


def _own(customer_id: str) -> dict:
    customer = state().customers.get(customer_id)
    if customer is None or customer["resellerId"] != session()["resellerId"]:
        raise not_found("Customer", customer_id)
    return customer


@api.get("/customers")
def customers_list():
    simulator = state()
    args = request.args
    name, email = args.get("name", "").lower(), args.get("email", "").lower()
    with simulator.lock:
        rows = [
            c for c in simulator.customers.values() if c["resellerId"] == session()["resellerId"]
        ]
        if name:
            rows = [c for c in rows if name in c["name"].lower()]
        if email:
            rows = [
                c
                for c in rows
                if any(p.get("email", "").lower() == email for p in c["contactPersons"])
            ]
        if args.get("externalId"):
            rows = [c for c in rows if c.get("externalId") == args["externalId"]]
        if args.get("resellerId"):
            rows = [c for c in rows if c["resellerId"] == args["resellerId"]]
        return paginate(newest_first(rows), customer_view)


@api.get("/customers/<customer_id>")
def customers_get(customer_id):
    with state().lock:
        return customer_view(_own(customer_id))


@api.post("/customers")
def customers_create():
    simulator = state()
    body = json_body()
    check_customer(body)
    with simulator.lock:
        record = {field: copy.deepcopy(body[field]) for field in CREATE_FIELDS if field in body}
        record.setdefault("attributes", {})
        record.update(
            id=simulator.next_id("customer"),
            resellerId=session()["resellerId"],
            status="active",
            _created=simulator.now(),
        )
        simulator.customers[record["id"]] = record
        simulator.touch("customers", record["id"])
        return customer_view(record), 201


@api.patch("/customers/<customer_id>")
def customers_patch(customer_id):
    simulator = state()
    body = json_body()
    check_customer(body, partial=True)
    with simulator.lock:
        customer = _own(customer_id)
        for field in UPDATE_FIELDS:
            if field in body:
                customer[field] = copy.deepcopy(body[field])
        simulator.touch("customers", customer["id"])
        return customer_view(customer)
