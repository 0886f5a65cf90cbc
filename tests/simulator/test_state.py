"""State: thread safety under a threaded server, the SQLite snapshot, the reseller account."""

from concurrent.futures import ThreadPoolExecutor

from simulator.app import create_app
from simulator.config import config_for_profile

from .conftest import Api, sales_body


def test_concurrent_orders_get_unique_ids_and_numbers(api):
    def place(index):
        body = sales_body(domain=f"parallel{index}.onmicrosoft.com", po_number=f"PO-{index}")
        return api.post("/orders", json=body).json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        orders = list(pool.map(place, range(24)))
    assert len({o["id"] for o in orders}) == 24
    assert len({o["orderNumber"] for o in orders}) == 24
    stats = api.stats()
    assert stats["ordersCreated"] == 24
    assert set(stats["ordersByPoNumber"].values()) == {1}
    assert stats["requests"]["POST /orders"] == 24


def test_same_domain_in_parallel_is_sold_once(api):
    def place(index):
        return api.post(
            "/orders",
            json=sales_body(domain="racetenant.onmicrosoft.com", po_number=f"PO-race-{index}"),
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(place, range(6)))
    assert sorted(codes) == [201, 400, 400, 400, 400, 400]


def test_snapshot_in_sqlite_is_loaded_by_a_new_app(tmp_path):
    config = config_for_profile("test", state_path=str(tmp_path / "state.sqlite3"))
    first = Api(create_app(config)).login()
    order = first.place(po_number="PO-persisted")
    first.control.post("/clock", json={"offsetSeconds": 600})
    second = Api(create_app(config))
    second.http.headers["Authorization"] = f"Bearer {first.token}"  # tokens persist too
    assert second.get(f"/orders/{order['id']}").json()["poNumber"] == "PO-persisted"
    assert second.control.get("/clock").json()["offsetSeconds"] == 600
    second.control.post("/reset")
    assert Api(create_app(config)).login().get("/orders").json()["data"] == []


def test_reseller_account_carries_its_tier_configuration(api):
    reseller = api.get("/resellers/1000001").json()
    assert reseller["name"] == "Northwind IT"
    assert reseller["attributes"] == {
        "tier1_mpn": "1234567",
        "indirect_reseller_domain": "northwindit.onmicrosoft.com",
    }
    assert api.get("/resellers/1000002").status_code == 404
