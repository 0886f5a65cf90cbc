"""Scripted failures through /_simulator/failures, the rate budget, stats and reset."""

import time
from types import SimpleNamespace

import httpx
import pytest

from simulator import failures
from simulator.app import create_app
from simulator.config import config_for_profile

from . import upstream_texts as texts
from .conftest import CUSTOMER, Api, sales_body


def test_500_with_the_error_body(api):
    api.fail(kind="status", status=500, path="/orders", method="GET", count=1)
    response = api.get("/orders")
    assert response.status_code == 500
    assert set(response.json()) == {"timeStamp", "status", "message", "path", "correlationId"}
    assert response.json()["path"] == "/orders"
    assert api.get("/orders").status_code == 200


def test_502_and_503(api):
    api.fail(kind="status", status=502, count=1)
    api.fail(kind="status", status=503, count=1)
    first, second = api.get("/customers"), api.get("/customers")
    assert (first.status_code, first.json()["status"]) == (502, 502)
    assert second.status_code == 503
    assert second.json() == {
        "statusCode": 503,
        "message": "Service Unavailable. Please try again later.",
    }


def test_504_is_an_nginx_html_page(api):
    api.fail(kind="status", status=504, path="/orders", method="POST", count=1)
    response = api.post("/orders", json=sales_body())
    assert response.status_code == 504
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<center><h1>504 Gateway Time-out</h1></center>" in response.text
    assert "nginx" in response.text
    assert response.headers["X-Correlation-ID"].startswith("a8n-")
    assert api.stats()["ordersCreated"] == 0


def test_format_can_be_chosen(api):
    api.fail(kind="status", status=502, format="html", count=1)
    api.fail(kind="status", status=503, format="html", count=1)
    api.fail(kind="status", status=500, format="apim", message="Backend is down", count=1)
    assert "<h1>502 Bad Gateway</h1>" in api.get("/products").text
    assert "<h1>503 Service Temporarily Unavailable</h1>" in api.get("/products").text
    assert api.get("/products").json() == {"statusCode": 500, "message": "Backend is down"}
    api.fail(kind="status", status=500, format="spring", message="Boom", count=1)
    spring = api.get("/products").json()
    assert set(spring) == {"timestamp", "status", "error", "path", "correlationId"}
    assert spring["error"] == "Boom"


def test_scripted_429_with_and_without_retry_after(api):
    api.fail(kind="status", status=429, count=1)
    api.fail(kind="status", status=429, retryAfter=None, count=1)
    first, second = api.get("/products"), api.get("/products")
    assert first.status_code == 429 and first.headers["Retry-After"] == "57"
    assert first.json() == {
        "statusCode": 429,
        "message": "Rate limit is exceeded. Try again in 57 seconds.",
    }
    assert second.status_code == 429 and "Retry-After" not in second.headers
    assert api.stats()["rateLimited"] == 2


def test_per_key_time_window_budget(api, other_api):
    api.control.post("/rate-limit", json={"limit": 3, "windowSeconds": 60})
    codes = [api.get("/products").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    limited = api.get("/products")
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert other_api.get("/products").status_code == 200  # another key, another budget
    api.advance(61, relogin=False)
    assert api.get("/products").status_code == 200  # a new window
    assert api.stats()["rateLimited"] == 3


def test_budget_without_retry_after(api):
    api.control.post("/rate-limit", json={"limit": 1, "retryAfter": False})
    api.get("/products")
    response = api.get("/products")
    assert response.status_code == 429
    assert "Retry-After" not in response.headers
    assert response.json()["message"] == "Rate limit is exceeded."
    api.control.post("/rate-limit", json={})
    assert api.get("/products").status_code == 200


def test_demo_profile_has_a_budget():
    config = config_for_profile("demo")
    assert config.rate_limit.limit > 0 and config.timings.total >= 5


def test_connection_dropped_after_the_order_exists(api):
    api.fail(kind="drop", path="/orders", method="POST", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/orders", json=sales_body(po_number="PO-lost-7"))
    # The order exists: the client finds it by its poNumber on the newest orders' details.
    rows = api.get("/orders", params={"customerId": CUSTOMER}).json()["data"]
    assert len(rows) == 1 and "poNumber" not in rows[0]
    assert api.get(f"/orders/{rows[0]['id']}").json()["poNumber"] == "PO-lost-7"
    assert api.stats()["ordersByPoNumber"] == {"PO-lost-7": 1}


def test_connection_dropped_before_anything_was_served(api):
    api.fail(kind="drop", when="before", path="/orders", method="POST", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post("/orders", json=sales_body())
    assert api.stats()["ordersCreated"] == 0
    assert api.post("/orders", json=sales_body()).status_code == 201


def test_slow_post_orders_times_out_but_the_order_exists(api):
    api.fail(kind="delay", seconds=65, path="/orders", method="POST", count=1)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        api.post("/orders", json=sales_body(po_number="PO-slow"), timeout=5)
    assert time.monotonic() - started < 2  # in-process, the timeout is raised at once
    assert api.stats()["ordersByPoNumber"] == {"PO-slow": 1}


def test_slow_but_within_the_timeout_is_served_late(api):
    api.fail(kind="delay", seconds=0.3, path="/products", count=1)
    started = time.monotonic()
    assert api.get("/products", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_delay_before_serving_longer_than_the_timeout_creates_nothing(api):
    api.fail(kind="delay", when="before", seconds=65, path="/orders", method="POST", count=1)
    with pytest.raises(httpx.ReadTimeout):
        api.post("/orders", json=sales_body(), timeout=5)
    assert api.stats()["ordersCreated"] == 0


def test_scope_by_method_path_glob_and_count(api):
    api.fail(kind="status", status=500, method="GET", path="/orders/*", count=2)
    order = api.place()
    assert api.get("/orders").status_code == 200
    assert [api.get(f"/orders/{order['id']}").status_code for _ in range(3)] == [500, 500, 200]


def test_scope_by_query_parameters_fails_only_that_page(api):
    api.fail(kind="status", status=503, method="GET", path="/orders", query={"offset": 2})
    api.fail(kind="drop", when="before", method="GET", path="/orders", query={"offset": "4"})
    for n in range(3):
        api.place(domain=f"pagefail{n}.onmicrosoft.com")
    assert api.get("/orders", params={"offset": 0, "limit": 2}).status_code == 200
    assert api.get("/orders", params={"offset": 2, "limit": 2}).status_code == 503
    assert api.get("/orders", params={"limit": 2}).status_code == 200  # no offset: not matched
    with pytest.raises(httpx.RemoteProtocolError):
        api.get("/orders", params={"offset": 4, "limit": 2})


def test_probability_with_a_seed_is_repeatable(app):
    def pattern():
        api = Api(create_app(config_for_profile("test"))).login()
        api.fail(kind="status", status=503, path="/products", probability=0.5, seed=7)
        return [api.get("/products").status_code for _ in range(20)]

    first = pattern()
    assert first == pattern()
    assert 0 < first.count(503) < 20


def test_failure_for_a_duration(api, monkeypatch):
    # The rule expires on the simulator's monotonic clock; the test moves that
    # clock instead of sleeping past the expiry and hoping it passed.
    now = [1000.0]
    monkeypatch.setattr(failures, "time", SimpleNamespace(monotonic=lambda: now[0]))
    api.fail(kind="status", status=503, durationSeconds=0.2)
    assert api.get("/products").status_code == 503
    now[0] += 0.19
    assert api.get("/products").status_code == 503
    now[0] += 0.02
    assert api.get("/products").status_code == 200


@pytest.mark.parametrize(
    "name, status, text",
    [
        ("domain_taken", 400, "is not available to purchase"),
        ("mpn_invalid", 400, texts.MPN_NOT_FOUND),
        ("no_relationship", 400, "has no commerce relationship with the customer id"),
        ("mca_missing", 400, texts.MCA_MISSING),
        ("quantity", 400, "not within minimum and maximum allowed quantity"),
        ("conflicting_change", 500, "Cannot Upgrade/Downgrade Resources for Subscription #"),
        ("ambiguous_mpn", 400, "More than one product matches MPN"),
        ("invalid_customer", 400, "Invalid value of field 'name'"),
    ],
)
def test_forced_business_errors(api, name, status, text):
    api.fail(kind="business", error=name, path="/orders", method="POST", count=1)
    response = api.post("/orders", json=sales_body())
    assert response.status_code == status
    assert text in response.json()["message"]
    assert api.stats()["ordersCreated"] == 0


def test_order_outcome_failure_by_po_number_substring(api):
    api.fail(kind="order_outcome", outcome="error", poNumberContains="-PF-")
    failing = api.place(po_number="ACME-PF-1", domain="pfone.onmicrosoft.com")
    fine = api.place(po_number="ACME-OK-1", domain="okone.onmicrosoft.com")
    api.advance(1)
    assert api.get(f"/orders/{failing['id']}").json()["statusCode"] == "PF"
    assert api.get(f"/orders/{fine['id']}").json()["statusCode"] == "CP"


@pytest.mark.parametrize(
    "rule, field",
    [
        ({"kind": "explode"}, "kind"),
        ({"kind": "status", "status": 200}, "status"),
        ({"kind": "drop", "when": "later"}, "when"),
        ({"kind": "delay"}, "seconds"),
        ({"kind": "business", "error": "gremlins"}, "error"),
        ({"kind": "status", "status": 500, "count": 0}, "count"),
        ({"kind": "status", "status": 500, "probability": 2}, "probability"),
        ({"kind": "order_outcome", "outcome": "maybe"}, "outcome"),
        ({"kind": "status", "status": 500, "paths": "/orders"}, "unknown field(s)"),
        ({"kind": "status", "status": 502, "format": "xml"}, "format"),
        ({"kind": "status", "status": 503, "query": "offset=25"}, "query"),
        ({"kind": "status", "status": 503, "query": {"offset": [25]}}, "query"),
    ],
)
def test_bad_rules_are_refused(api, rule, field):
    response = api.control.post("/failures", json=rule)
    assert response.status_code == 400
    assert response.json()["error"].startswith(field)


def test_rules_can_be_listed_removed_and_cleared(api):
    rule = api.fail(kind="status", status=500)
    api.fail(kind="status", status=503, count=5)
    listed = api.control.get("/failures").json()["failures"]
    assert [r["id"] for r in listed] == [rule["id"], listed[1]["id"]]
    assert api.control.delete(f"/failures/{rule['id']}").status_code == 200
    assert api.control.delete(f"/failures/{rule['id']}").status_code == 404
    assert api.get("/products").status_code == 503
    api.control.delete("/failures")
    assert api.get("/products").status_code == 200


def test_several_rules_at_once(api):
    response = api.control.post(
        "/failures",
        json=[
            {"kind": "status", "status": 502, "count": 1},
            {"kind": "status", "status": 503, "count": 1},
        ],
    )
    assert len(response.json()["failures"]) == 2


def test_stats_count_requests_and_failures(api):
    api.get("/products")
    api.get("/products")
    api.fail(kind="status", status=500, count=1)
    api.get("/customers")
    stats = api.stats()
    assert stats["requests"]["GET /products"] == 2
    assert stats["requests"]["POST /token"] == 1
    assert stats["failuresServed"] == {"status": 1}


def test_reset_restores_the_seed(api):
    api.place()
    api.post("/customers", json={**api.get(f"/customers/{CUSTOMER}").json(), "name": "Extra Co"})
    api.fail(kind="status", status=500)
    api.control.post("/clock", json={"offsetSeconds": 3600})
    api.control.post("/taken-prefixes", json={"prefix": "demotaken"})
    assert api.control.post("/reset").status_code == 200
    assert api.control.get("/clock").json()["offsetSeconds"] == 0
    assert api.control.get("/failures").json() == {"failures": []}
    assert api.stats()["ordersCreated"] == 0
    api.login()
    assert api.get("/customers").json()["pagination"]["total"] == 3
    assert api.get("/orders").json()["data"] == []
    verdict = api.post(
        "/validation/parameters",
        json={
            "customerId": CUSTOMER,
            "products": [
                {
                    "mpn": "CFQ7TTC0LH18:0001",
                    "parameters": [
                        {"name": "microsoft_domain", "value": "demotaken.onmicrosoft.com"}
                    ],
                }
            ],
        },
    ).json()
    assert verdict["data"][0]["parameters"][0]["result"] == "success"


def test_taken_prefix_control(api):
    api.control.post("/taken-prefixes", json={"prefix": "demotaken"})
    response = api.post("/orders", json=sales_body(domain="demotaken.onmicrosoft.com"))
    assert response.status_code == 400
    assert api.control.post("/taken-prefixes", json={"prefix": "no-dash"}).status_code == 400


def test_clock_and_timings_controls(api):
    assert api.control.post("/clock", json={}).status_code == 400
    assert api.control.post("/clock", json={"offsetSeconds": 60}).json()["offsetSeconds"] == 60
    assert api.control.post("/timings", json={"provisioning": -1}).status_code == 400
    assert api.timings(provisioning=4)["provisioning"] == 4.0


def test_a_delay_after_serving_does_not_delay_a_429_answered_instead(api):
    # A 429 is the gateway's answer instead of serving the request: nothing is answered late.
    api.fail(kind="status", status=429, retryAfter=1, path="/products", count=1)
    api.fail(kind="delay", seconds=0.5, path="/products")
    started = time.monotonic()
    assert api.get("/products", timeout=5).status_code == 429
    assert time.monotonic() - started < 0.4
    started = time.monotonic()
    assert api.get("/products", timeout=5).status_code == 200  # served: answered late
    assert time.monotonic() - started >= 0.5
