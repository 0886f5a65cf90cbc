"""The timed request log at /_simulator/requests: times, status, Retry-After, cursor, reset."""

import time

from simulator.requestlog import RequestLog, key_fingerprint

from .conftest import KEY


def log(api, **params):
    response = api.control.get("/requests", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_each_api_request_is_logged_with_its_times_status_and_key_fingerprint(api):
    before = time.time()
    api.get("/customers")
    entries = log(api)["requests"]
    # The token request of login() comes first, then ours; control calls are not logged.
    assert [(e["method"], e["path"], e["status"]) for e in entries] == [
        ("POST", "/token", 200),
        ("GET", "/customers", 200),
    ]
    entry = entries[-1]
    assert before <= entry["startedAt"] <= entry["endedAt"] <= time.time()
    assert entry["startedMonotonic"] <= entry["endedMonotonic"]
    assert entry["keyFingerprint"] == key_fingerprint(KEY)
    assert KEY not in str(entries)
    assert entry["retryAfter"] is None


def test_a_429_logs_its_retry_after_and_a_late_answer_its_delay(api):
    api.fail(kind="status", status=429, retryAfter=7, path="/customers", count=1)
    api.fail(kind="delay", seconds=0.3, path="/orders", method="GET", count=1)
    assert api.get("/customers").status_code == 429
    api.get("/orders")
    limited, late = log(api)["requests"][-2:]
    assert (limited["status"], limited["retryAfter"]) == (429, "7")
    assert late["endedMonotonic"] - late["startedMonotonic"] >= 0.3


def test_a_dropped_connection_is_logged_without_a_status(api):
    api.fail(kind="drop", when="before", path="/customers", count=1)
    try:
        api.get("/customers")
    except Exception:  # noqa: BLE001 - the transport raises what a closed socket would
        pass
    assert log(api)["requests"][-1]["status"] is None


def test_the_cursor_returns_only_what_came_after_and_reset_clears(api):
    first = log(api)
    api.get("/customers")
    api.get("/orders")
    after = log(api, since=first["next"])
    assert [e["path"] for e in after["requests"]] == ["/customers", "/orders"]
    assert log(api, since=after["next"])["requests"] == []
    assert api.control.get("/requests", params={"since": "x"}).status_code == 400
    api.control.post("/reset")
    assert log(api)["requests"] == []


def test_the_log_is_bounded_and_says_how_many_it_let_go():
    request_log = RequestLog(size=3)
    for index in range(5):
        request_log.finish(request_log.start("GET", f"/o/{index}", None), 200, None)
    page = request_log.read()
    assert [e["path"] for e in page["requests"]] == ["/o/2", "/o/3", "/o/4"]
    assert page["dropped"] == 2
