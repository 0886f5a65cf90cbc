"""The indexes and schedules of issue 14 answer as the passes over every record did.

Two apps get the same random requests under a frozen, moved clock: one as the simulator is, one
whose lifecycle and renewals are the old passes over every order and subscription (copied below).
Every answer of the first must be the second's, every list must be what the old filters give
over the second's records, and in the end both hold the same records.
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from datetime import UTC, date, datetime

import pytest

from simulator import lifecycle
from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.renewals import _renewal_order
from simulator.routes import subscriptions as subscription_routes
from simulator.views import order_row, subscription_row

from .conftest import Api, sales_body

DAY = 86400
CUSTOMERS = {"1000101": "1000001", "1000102": "1000001", "1000103": "1000001", "1000104": "1000002"}
ORDER_STATUSES = ["submitted", "processing", "error", "completed", "cancelled"]
ORDER_CODES = ["SB", "AS", "LO", "CP", "PF", "CL"]
SUBSCRIPTION_STATUSES = ["pending", "active", "terminated", "removed"]


# --- the old passes, as they were before the indexes -------------------------------------------
def old_advance_all(state) -> None:
    with state.lock:
        now = state.now()
        for order in state.orders.values():
            if order["_applied"]:
                continue
            status, code = lifecycle.phase(order, now)
            if (order["status"], order["statusCode"]) != (status, code):
                order["status"], order["statusCode"] = status, code
                lifecycle.touch_order(state, order)
            if status in {"completed", "error"} and not order["_applied"]:
                lifecycle._apply(state, order, succeeded=status == "completed")
                order["_applied"] = True


def old_renew_due(state) -> int:
    today = state.now_datetime().date().isoformat()
    handled = 0
    for subscription in list(state.subscriptions.values()):
        while subscription["status"] == "active" and subscription["renewalDate"] <= today:
            handled += 1
            if not subscription["renewalStatus"]:
                subscription["status"] = "terminated"
                subscription["expirationDate"] = subscription["renewalDate"]
                subscription["lastModifiedDate"] = subscription["renewalDate"]
                state.touch("subscriptions", subscription["id"])
                break
            at = datetime.fromisoformat(subscription["renewalDate"]).replace(tzinfo=UTC)
            _renewal_order(state, subscription, at.timestamp())
    return handled


def newest_first(records):
    return sorted(records, key=lambda r: (r["_created"], int(r["id"])), reverse=True)


def page(rows, params, view):
    offset, limit = int(params.get("offset", 0)), int(params.get("limit", 10))
    return {
        "data": [view(row) for row in rows[offset : offset + limit]],
        "pagination": {"offset": offset, "limit": limit, "total": len(rows)},
    }


def moment(raw):
    return datetime.fromisoformat(raw.replace("Z", "+00:00")).timestamp()


def old_order_list(state, reseller_id, args):
    rows = [o for o in state.orders.values() if o["_resellerId"] == reseller_id]
    if args.get("customerId"):
        rows = [o for o in rows if o["customerId"] == args["customerId"]]
    if args.get("subscriptionId"):
        wanted = args["subscriptionId"]
        rows = [
            o
            for o in rows
            if o.get("subscriptionId") == wanted
            or any(p.get("_subscriptionId") == wanted for p in o.get("products", []))
        ]
    if args.get("orderNumber"):
        rows = [o for o in rows if o["orderNumber"] == args["orderNumber"]]
    if args.get("status"):
        rows = [o for o in rows if o["status"] == args["status"]]
    if args.get("statusCode"):
        rows = [o for o in rows if o["statusCode"] == args["statusCode"]]
    if args.get("creationTimeFrom"):
        rows = [o for o in rows if o["_created"] >= moment(args["creationTimeFrom"])]
    if args.get("creationTimeTo"):
        rows = [o for o in rows if o["_created"] <= moment(args["creationTimeTo"])]
    return page(newest_first(rows), args, order_row)


def old_subscription_list(state, reseller_id, args):
    rows = [s for s in state.subscriptions.values() if s["_resellerId"] == reseller_id]
    if args.get("customerId"):
        rows = [s for s in rows if s["customerId"] == args["customerId"]]
    if args.get("status"):
        rows = [s for s in rows if s["status"] == args["status"]]
    if args.get("creationDateFrom"):
        since = date.fromisoformat(args["creationDateFrom"][:10]).isoformat()
        rows = [s for s in rows if s["creationDate"] >= since]
    if args.get("creationDateTo"):
        until = date.fromisoformat(args["creationDateTo"][:10]).isoformat()
        rows = [s for s in rows if s["creationDate"] <= until]
    return page(newest_first(rows), args, subscription_row)


# --- two apps, one clock ------------------------------------------------------------------------
def plain(value):
    return json.loads(json.dumps(value))


def mismatch(mine, theirs) -> list:
    """Return where two answers differ: the fields of each list row, or of the record."""
    if isinstance(mine, dict) and isinstance(theirs, dict) and "data" in mine and "data" in theirs:
        mine, theirs = dict(enumerate(mine["data"])), dict(enumerate(theirs["data"]))
        return differences(
            {str(k): v for k, v in mine.items()}, {str(k): v for k, v in theirs.items()}
        )
    return differences({"record": mine}, {"record": theirs})


def differences(mine: dict, theirs: dict) -> list[tuple]:
    """Return (record id, field, mine, theirs) for every field that differs (none: equal)."""
    mine, theirs = plain(mine), plain(theirs)
    found = []
    for record_id in sorted(set(mine) | set(theirs)):
        a, b = mine.get(record_id), theirs.get(record_id)
        if not isinstance(a, dict) or not isinstance(b, dict):
            if a != b:
                found.append((record_id, None, a, b))
            continue
        found += [
            (record_id, f, a.get(f), b.get(f))
            for f in sorted(set(a) | set(b))
            if a.get(f) != b.get(f)
        ]
    return found


def answer(response):
    """Return what must be equal between two answers (errors carry a time and a random id)."""
    body = response.json()
    if response.status_code >= 400 and isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in {"timeStamp", "correlationId"}}
    return response.status_code, body


class Twins:
    """The simulator as it is (`new`) and with the old passes (`old`), driven alike."""

    def __init__(self, monkeypatch, state_path=None):
        self.clock = datetime(2026, 3, 1, 9, tzinfo=UTC).timestamp()
        self.apps = {
            "new": create_app(config_for_profile("test", state_path=state_path)),
            "old": create_app(config_for_profile("test")),
        }
        self.states = {name: app.extensions["simulator"] for name, app in self.apps.items()}
        for state in self.states.values():
            state.now = lambda state=state: self.clock + state.clock_offset
        old = self.states["old"]
        advance, renew = lifecycle.advance_all, subscription_routes.renew_due
        monkeypatch.setattr(
            lifecycle, "advance_all", lambda s: old_advance_all(s) if s is old else advance(s)
        )
        monkeypatch.setattr(
            subscription_routes, "renew_due", lambda s: old_renew_due(s) if s is old else renew(s)
        )
        self.clients = {
            name: {
                "1000001": Api(app).login(),
                "1000002": Api(
                    app,
                    username="fabrikam-api",
                    password="fabrikam-password",
                    key="fabrikam-subscription-key",
                ).login(),
            }
            for name, app in self.apps.items()
        }

    def send(self, reseller_id, method, path, **kwargs):
        """Send a request to both apps (the old first); assert they answer alike."""
        old = self.clients["old"][reseller_id].http.request(method, path, **kwargs)
        new = self.clients["new"][reseller_id].http.request(method, path, **kwargs)
        assert answer(new) == answer(old), (method, path, kwargs, mismatch(new.json(), old.json()))
        return new

    def control(self, method, path, **kwargs):
        for name in ("old", "new"):
            response = self.clients[name]["1000001"].control.request(method, path, **kwargs)
            assert response.status_code < 400, response.text

    def relogin(self):
        for clients in self.clients.values():
            for client in clients.values():
                client.login()


def deterministic_tenants(monkeypatch):
    """Give a new tenant a GUID and password made from its domain, the same in both apps."""
    new_tenant = lifecycle.new_tenant

    def tenant(domain, customer_id):
        made = new_tenant(domain, customer_id)
        made["tenantId"] = str(uuid.uuid5(uuid.NAMESPACE_DNS, domain))
        made["temporaryPassword"] = f"Pw{len(domain)}x#7a"
        return made

    monkeypatch.setattr(lifecycle, "new_tenant", tenant)


def iso(timestamp):
    return datetime.fromtimestamp(timestamp, UTC).isoformat().replace("+00:00", "Z")


def step(twins: Twins, rng: random.Random, number: int) -> None:
    new_state = twins.states["new"]
    customer = rng.choice(list(CUSTOMERS))
    reseller = CUSTOMERS[customer]
    subscriptions = list(new_state.subscriptions.values())
    orders = list(new_state.orders.values())
    kind = rng.choices(
        [
            "sales",
            "change",
            "cancel",
            "renew",
            "patch_order",
            "patch_sub",
            "clock",
            "orders",
            "subscriptions",
            "detail",
        ],
        weights=[14, 6, 3, 2, 3, 2, 10, 18, 10, 6],
    )[0]
    if kind == "sales":
        if rng.random() < 0.3:
            seconds = [0, 0.5, 5, 60, 3600]
            twins.control(
                "POST",
                "/timings",
                json={
                    "submitted": rng.choice(seconds),
                    "assigning": rng.choice(seconds),
                    "provisioning": rng.choice(seconds),
                },
            )
        if rng.random() < 0.2:
            rule = {"kind": "order_outcome", "outcome": rng.choice(["error", "stuck"]), "count": 1}
            twins.control("POST", "/failures", json=rule)
        domain = f"t{rng.randrange(number + 1)}.onmicrosoft.com"
        body = sales_body(
            domain=domain, customer=customer, quantity=rng.randint(1, 9), po_number=f"PO-{number}"
        )
        twins.send(reseller, "POST", "/orders", json=body)
    elif kind in {"change", "cancel", "renew"} and subscriptions:
        subscription = rng.choice(subscriptions)
        reseller = subscription["_resellerId"]
        body = {"customerId": subscription["customerId"], "subscriptionId": subscription["id"]}
        if kind == "change":
            body |= {
                "type": "change",
                "products": [
                    {
                        "subscriptionId": subscription["id"],
                        "mpn": subscription["products"][0]["mpn"],
                        "quantity": rng.randint(1, 12),
                    }
                ],
            }
        else:
            body["type"] = {"cancel": "cancellation", "renew": "renewal"}[kind]
        twins.send(reseller, "POST", "/orders", json=body)
    elif kind == "patch_order" and orders:
        order = rng.choice(orders)
        twins.send(
            order["_resellerId"], "PATCH", f"/orders/{order['id']}", json={"statusCode": "CL"}
        )
    elif kind == "patch_sub" and subscriptions:
        subscription = rng.choice(subscriptions)
        twins.send(
            subscription["_resellerId"],
            "PATCH",
            f"/subscriptions/{subscription['id']}",
            json={"renewalStatus": rng.random() < 0.6},
        )
    elif kind == "clock":
        if rng.random() < 0.5:
            twins.clock += rng.random() * 3  # real time passes
        else:
            offset = new_state.clock_offset
            choice = rng.choice([1, 4, 30, 3600, 7 * DAY, 200 * DAY, 400 * DAY, -5, -3600, -DAY])
            if choice < 0 and rng.random() < 0.5:
                twins.control("POST", "/clock", json={"offsetSeconds": max(0, offset + choice)})
            else:
                twins.control("POST", "/clock", json={"advanceSeconds": choice})
        twins.relogin()
    elif kind == "orders":
        args = {}
        if rng.random() < 0.6:
            args["customerId"] = customer
        if rng.random() < 0.3:
            args["status"] = rng.choice(ORDER_STATUSES)
        if rng.random() < 0.2:
            args["statusCode"] = rng.choice(ORDER_CODES)
        if rng.random() < 0.15 and subscriptions:
            args["subscriptionId"] = rng.choice(subscriptions)["id"]
        if rng.random() < 0.1 and orders:
            args["orderNumber"] = rng.choice(orders)["orderNumber"]
        if rng.random() < 0.25 and orders:
            args["creationTimeFrom"] = iso(rng.choice(orders)["_created"] + rng.choice([0, -1, 1]))
        if rng.random() < 0.25 and orders:
            args["creationTimeTo"] = iso(rng.choice(orders)["_created"] + rng.choice([0, -1, 1]))
        if rng.random() < 0.5:
            args |= {"offset": rng.randint(0, 12), "limit": rng.randint(0, 15)}
        twins.send(reseller, "GET", "/orders", params=args)
        expected = old_order_list(twins.states["old"], reseller, args)
        got = twins.clients["new"][reseller].get("/orders", params=args).json()
        assert got == plain(expected), args
    elif kind == "subscriptions":
        args = {}
        if rng.random() < 0.6:
            args["customerId"] = customer
        if rng.random() < 0.4:
            args["status"] = rng.choice(SUBSCRIPTION_STATUSES)
        if rng.random() < 0.25 and subscriptions:
            args["creationDateFrom"] = rng.choice(subscriptions)["creationDate"]
        if rng.random() < 0.25 and subscriptions:
            args["creationDateTo"] = rng.choice(subscriptions)["creationDate"]
        if rng.random() < 0.5:
            args |= {"offset": rng.randint(0, 6), "limit": rng.randint(0, 8)}
        twins.send(reseller, "GET", "/subscriptions", params=args)
        expected = old_subscription_list(twins.states["old"], reseller, args)
        got = twins.clients["new"][reseller].get("/subscriptions", params=args).json()
        assert got == plain(expected), args
    elif kind == "detail" and orders:
        order = rng.choice(orders)
        twins.send(order["_resellerId"], "GET", f"/orders/{order['id']}")
        if subscriptions:
            subscription = rng.choice(subscriptions)
            twins.send(subscription["_resellerId"], "GET", f"/subscriptions/{subscription['id']}")


def assert_same_records(twins: Twins) -> None:
    new, old = twins.states["new"], twins.states["old"]
    # one last request brings both up to the clock, with renewals
    twins.send("1000001", "GET", "/subscriptions")
    twins.send("1000002", "GET", "/subscriptions")
    for kind in ("orders", "subscriptions", "tenants", "counters"):
        assert differences(records(new, kind), records(old, kind)) == [], kind


def records(state, kind):
    """Return a state's records; a sales order's copy of its new tenant without `pending`.

    In memory that copy is the tenant itself, so it loses `pending` when the tenant is
    provisioned; read back from the state file it is a copy that keeps it (as it always was).
    """
    if kind != "orders":
        return getattr(state, kind)
    return {
        order_id: {
            **order,
            "_tenant": {k: v for k, v in order["_tenant"].items() if k != "pending"},
        }
        if "_tenant" in order
        else order
        for order_id, order in state.orders.items()
    }


@pytest.mark.parametrize("seed", range(8))
def test_random_requests_under_a_moved_clock_answer_as_the_old_passes(monkeypatch, seed):
    deterministic_tenants(monkeypatch)
    twins = Twins(monkeypatch)
    rng = random.Random(seed)
    for number in range(160):
        step(twins, rng, number)
    assert_same_records(twins)
    new = twins.states["new"]
    assert len(new.orders) > 20  # the run did place orders, and moved them along
    assert {o["status"] for o in new.orders.values()} & {"completed", "error"}


def test_many_orders_page_alike_under_every_filter(monkeypatch):
    """200 orders of four customers at spread times and phases: every filter, every page."""
    deterministic_tenants(monkeypatch)
    twins = Twins(monkeypatch)
    rng = random.Random(99)
    for number in range(200):
        customer = rng.choice(["1000101", "1000102", "1000103"])
        timings = {"submitted": rng.choice([0, 30]), "assigning": 60, "provisioning": 600}
        twins.control("POST", "/timings", json=timings)
        body = sales_body(
            domain=f"many{number}.onmicrosoft.com", customer=customer, po_number=f"PO-{number}"
        )
        twins.send("1000001", "POST", "/orders", json=body)
        twins.clock += rng.choice([0, 0, 1, 7, 45])
    twins.relogin()
    old = twins.states["old"]
    created = sorted(o["_created"] for o in old.orders.values())
    for args in [
        {},
        {"customerId": "1000102"},
        {"status": "processing"},
        {"statusCode": "LO", "customerId": "1000101"},
        {"status": "completed", "statusCode": "CP"},
        {"status": "submitted", "customerId": "1000103"},
        {"creationTimeFrom": iso(created[50]), "creationTimeTo": iso(created[150])},
        {"customerId": "1000101", "creationTimeFrom": iso(created[100]), "status": "processing"},
    ]:
        for offset in (0, 7, 95, 199, 250):
            for limit in (1, 10, 500):
                query = {**args, "offset": offset, "limit": limit}
                twins.send("1000001", "GET", "/orders", params=query)
                got = twins.clients["new"]["1000001"].get("/orders", params=query).json()
                assert got == plain(old_order_list(old, "1000001", query)), query
    assert_same_records(twins)


def test_subscriptions_renew_on_their_date_or_end_without_auto_renewal(api):
    first = api.place(sales_body(domain="renewa.onmicrosoft.com"))
    second = api.place(sales_body(domain="renewb.onmicrosoft.com"))
    api.advance(5)
    ids = [
        api.get(f"/orders/{o['id']}").json()["products"][0]["subscriptionId"]
        for o in (first, second)
    ]
    api.patch(f"/subscriptions/{ids[1]}", json={"renewalStatus": False})
    renewal_date = api.get(f"/subscriptions/{ids[0]}").json()["renewalDate"]
    api.advance(366 * DAY)
    renewed, ended = (api.get(f"/subscriptions/{i}").json() for i in ids)
    assert renewed["status"] == "active" and renewed["renewalDate"] > renewal_date
    assert ended["status"] == "terminated" and ended["expirationDate"] == renewal_date
    renewals = api.get("/orders", params={"subscriptionId": ids[0]}).json()["data"]
    assert [o["orderNumber"][:2] for o in renewals] == ["RN", "SO"]


def test_a_request_reads_only_the_orders_whose_phase_is_due(api, monkeypatch):
    """No pass over every order: with 60 orders held in LO, reads look at none of them."""
    api.timings(submitted=0, assigning=0, provisioning=3600)
    for number in range(60):
        api.place(sales_body(domain=f"held{number}.onmicrosoft.com", po_number=f"PO-{number}"))
    api.advance(1)
    looked_at = []
    phase = lifecycle.phase
    monkeypatch.setattr(
        lifecycle, "phase", lambda order, now: looked_at.append(order["id"]) or phase(order, now)
    )
    listed = api.get("/orders", params={"customerId": "1000101", "status": "processing"}).json()
    assert listed["pagination"]["total"] == 60
    api.get("/subscriptions", params={"customerId": "1000101"})
    placed = api.place(sales_body(domain="onemore.onmicrosoft.com", po_number="PO-more"))
    assert looked_at == []
    api.get(f"/orders/{placed['id']}")
    assert looked_at == [placed["id"]]  # the new order's first look, and no other


# --- the state file -----------------------------------------------------------------------------
def test_state_file_round_trips_and_the_lifecycle_goes_on_after_a_restart(tmp_path, monkeypatch):
    deterministic_tenants(monkeypatch)
    path = str(tmp_path / "state.sqlite3")
    twins = Twins(monkeypatch, state_path=path)
    rng = random.Random(7)
    for number in range(120):
        step(twins, rng, number)
    twins.control("POST", "/timings", json={"submitted": 0, "assigning": 0, "provisioning": 600})
    body = sales_body(domain="inflight.onmicrosoft.com", customer="1000102", po_number="PO-fly")
    in_flight = twins.send("1000001", "POST", "/orders", json=body).json()
    before = twins.states["new"]

    again = create_app(config_for_profile("test", state_path=path)).extensions["simulator"]
    for kind in ("customers", "orders", "subscriptions", "tenants", "counters", "tokens"):
        assert differences(getattr(again, kind), getattr(before, kind)) == [], kind
    assert again.clock_offset == before.clock_offset
    assert again.prefix_taken("inflight")
    assert again.tenant_by_id(before.tenants["inflight.onmicrosoft.com"]["tenantId"])

    # the reloaded simulator takes over: its in-flight order completes, lists answer alike
    twins.apps["new"] = again_app = create_app(config_for_profile("test", state_path=path))
    reloaded = again_app.extensions["simulator"]
    reloaded.now = lambda: twins.clock + reloaded.clock_offset
    twins.states["new"] = reloaded
    for name, client in (
        ("1000001", Api(again_app)),
        (
            "1000002",
            Api(
                again_app,
                username="fabrikam-api",
                password="fabrikam-password",
                key="fabrikam-subscription-key",
            ),
        ),
    ):
        twins.clients["new"][name] = client.login()
    # timings and scripted failures are not kept in the file: both apps start them afresh
    twins.control("POST", "/timings", json={"submitted": 1, "assigning": 1, "provisioning": 1})
    twins.control("DELETE", "/failures")
    twins.control("POST", "/clock", json={"advanceSeconds": 700})
    twins.relogin()
    assert (
        twins.send("1000001", "GET", f"/orders/{in_flight['id']}").json()["status"] == "completed"
    )
    for number in range(120, 200):
        step(twins, rng, number)
    assert_same_records(twins)


def test_a_save_writes_only_what_the_request_changed(tmp_path):
    app = create_app(config_for_profile("test", state_path=str(tmp_path / "state.sqlite3")))
    api = Api(app).login()
    api.timings(submitted=0, assigning=0, provisioning=0)
    writes = []
    app.extensions["simulator"]._db.set_trace_callback(
        lambda statement: (
            writes.append(statement) if statement.startswith(("INSERT", "DELETE")) else None
        )
    )
    counts = []
    for number in range(80):
        writes.clear()
        api.place(sales_body(domain=f"saved{number}.onmicrosoft.com", po_number=f"PO-{number}"))
        counts.append(len(writes))
    # an order, its subscription and its tenant, plus the earlier order now completed (and its
    # subscription and tenant), plus the four small singletons: never one row per order held
    assert max(counts) <= 10
    assert counts[5] == counts[-1]


def test_a_file_from_before_tenants_were_rows_loads(tmp_path):
    path = str(tmp_path / "state.sqlite3")
    api = Api(create_app(config_for_profile("test", state_path=path))).login()
    api.place(sales_body(domain="legacy.onmicrosoft.com"))
    with sqlite3.connect(path) as db:  # rewrite the tenants the way older files kept them
        tenants = {
            domain: json.loads(data)
            for domain, data in db.execute("SELECT id, data FROM records WHERE kind = 'tenants'")
        }
        db.execute("DELETE FROM records WHERE kind = 'tenants'")
        db.execute("INSERT INTO singletons VALUES ('tenants', ?)", (json.dumps(tenants),))
    loaded = create_app(config_for_profile("test", state_path=path)).extensions["simulator"]
    assert plain(loaded.tenants) == tenants
    assert loaded.prefix_taken("legacy") and loaded.prefix_taken("woodgrovebank")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT COUNT(*) FROM singletons WHERE name = 'tenants'").fetchone() == (
            0,
        )
        rows = db.execute("SELECT COUNT(*) FROM records WHERE kind = 'tenants'").fetchone()[0]
    assert rows == len(tenants)
