"""/reports: scheduled, generated as the clock moves, downloaded as CSV or JSON, with faults."""

import csv
import io
from decimal import Decimal

import httpx
import pytest

from simulator.app import create_app
from simulator.config import config_for_profile
from simulator.transport import SimulatorTransport

from .conftest import Api
from .test_changes import buy, cancel, change
from .test_plan_switches import scheduled_seats

DAY = 86400


def schedule(api, **fields):
    body = {"name": "Rated data", "startDate": "2000-01-01T00:00:00Z", **fields}
    response = api.post("/reports", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def download(api, report):
    files = httpx.Client(transport=SimulatorTransport(api.app))
    response = files.get(report["downloadUrl"])
    assert response.status_code == 200, response.text
    if report["format"] == "csv":
        return list(csv.DictReader(io.StringIO(response.text)))
    return response.json()


def completed(api, report):
    api.advance(5)
    report = api.get(f"/reports/{report['id']}").json()
    assert report["status"] == "completed"
    return report


def test_a_report_is_submitted_then_completed_and_only_then_downloadable(api):
    report = schedule(api, format="csv")
    assert report["status"] == "submitted" and report["type"] == "onetime"
    assert "downloadUrl" not in report
    report = completed(api, report)
    assert report["downloadUrl"].startswith("http://simulator.test/_files/reports/")
    listed = api.get("/reports", params={"status": "completed"}).json()
    assert [r["id"] for r in listed["data"]] == [report["id"]]
    files = httpx.Client(transport=SimulatorTransport(api.app))
    assert files.get(report["downloadUrl"].split("?")[0]).status_code == 404  # no signature


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"startDate": "2026-01-01"}, "Field 'name' is required."),
        ({"name": "x"}, "Field 'startDate' is required."),
        ({"name": "x", "startDate": "2026-01-01", "format": "xml"}, "'xml' format"),
        ({"name": "x", "startDate": "2026-02-01", "endDate": "2026-01-01"}, "before"),
    ],
)
def test_a_bad_report_request_is_refused_with_the_field(api, body, message):
    response = api.post("/reports", json=body)
    assert response.status_code == 400 and message in response.text


def test_rated_lines_charge_the_cost_prorated_by_day_and_refund_the_cancellation(api):
    subscription = buy(api, quantity=5)  # Microsoft 365 E3, monthly billing: 30-day periods
    unit_cost = Decimal(subscription["products"][0]["unitCost"]["amount"])
    api.advance(DAY * 3)
    assert change(api, subscription, 8).status_code == 201
    api.advance(60)
    assert cancel(api, subscription).status_code == 201
    api.advance(60)
    report = schedule(api, format="csv")
    lines = download(api, completed(api, report))
    kinds = [(line["chargeType"], line["quantity"], line["chargedDays"]) for line in lines]
    assert kinds == [
        ("purchase", "5", "30"),
        ("seatAddition", "3", "27"),
        ("cancellationRefund", "8", "27"),
    ]
    assert Decimal(lines[1]["amount"]) == (unit_cost * 3 * 27 / 30).quantize(Decimal("0.01"))
    assert Decimal(lines[2]["amount"]) == -(unit_cost * 8 * 27 / 30).quantize(Decimal("0.01"))
    assert {line["subscriptionId"] for line in lines} == {subscription["id"]}


def test_recurring_charges_follow_each_billing_period_in_json(api):
    subscription = buy(api, quantity=2)
    api.advance(DAY * 61)
    report = schedule(api, format="json")
    lines = download(api, completed(api, report))
    assert [(line["chargeType"], line["quantity"]) for line in lines] == [
        ("purchase", 2),
        ("recurring", 2),
        ("recurring", 2),
    ]
    assert lines[1]["subscriptionId"] == subscription["id"]


def test_a_seat_change_scheduled_for_the_renewal_is_charged_from_the_renewal_not_when_placed(api):
    subscription = buy(api, quantity=5)  # a yearly term billed monthly: renews after a year
    api.advance(DAY * 10)
    assert scheduled_seats(api, subscription, 3).status_code == 201
    api.advance(DAY * 400)
    lines = download(api, completed(api, schedule(api, format="json")))
    assert {line["chargeType"] for line in lines} == {"purchase", "recurring"}
    recurring = [(line["chargeDate"], line["quantity"]) for line in lines[1:]]
    renewal = subscription["renewalDate"]
    assert [seats for day, seats in recurring] == [
        5 if day < renewal else 3 for day, seats in recurring
    ]
    assert recurring[-1][1] == 3 and recurring[0][1] == 5


def test_scripted_faults_bill_twice_drop_a_refund_and_change_a_price(api):
    first, second, third = (buy(api, quantity=1, domain=f"rated{n}.onmicrosoft.com") for n in "abc")
    cancel(api, second)
    api.advance(60)
    for fault in (
        {"kind": "duplicate", "subscriptionId": first["id"]},
        {"kind": "drop_refund", "subscriptionId": second["id"]},
        {"kind": "price", "subscriptionId": third["id"], "unitCost": "99.50"},
    ):
        assert api.control.post("/report-faults", json=fault).status_code == 201
    assert api.control.post("/report-faults", json={"kind": "nope"}).status_code == 400
    report = schedule(api, format="csv")
    lines = download(api, completed(api, report))
    by_subscription = {}
    for line in lines:
        by_subscription.setdefault(line["subscriptionId"], []).append(line)
    assert len(by_subscription[first["id"]]) == 2
    assert [line["chargeType"] for line in by_subscription[second["id"]]] == ["purchase"]
    assert by_subscription[third["id"]][0]["amount"] == "99.50"
    assert [line["lineId"] for line in lines] == [str(n) for n in range(1, len(lines) + 1)]


def test_reports_and_report_faults_outlive_a_restart(tmp_path):
    config = config_for_profile("test", state_path=str(tmp_path / "state.sqlite3"))
    first = Api(create_app(config)).login()
    report = schedule(first, format="csv")
    fault = {"kind": "duplicate", "subscriptionId": "1008001"}
    assert first.control.post("/report-faults", json=fault).status_code == 201
    second = Api(create_app(config)).login()
    assert second.get(f"/reports/{report['id']}").json()["name"] == "Rated data"
    assert second.control.get("/report-faults").json()["faults"] == [fault]
