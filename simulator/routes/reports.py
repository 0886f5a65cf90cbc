"""Reports: schedule a one-time rated-data report, list them, read one, download its file.

A report is `submitted`, then `processing`, then `completed` as the clock moves (the order
timings' first two phases, then the third); only then does it carry a `downloadUrl`. The file
is served like the platform's blob storage: outside the API, with a signature in the URL and no
bearer token. Formats: `csv` and `json` (the spec also names `xml` and `xlsx`; this simulator
refuses them with a 400, docs/upstream.md).
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import uuid
from datetime import date

from flask import Blueprint, Response, request, stream_with_context

from ..errors import ApiError
from ..lifecycle import iso_datetime
from ..rating import COLUMNS, rated_lines
from ..renewals import renew_due
from .api import api
from .common import json_body, not_found, paginate, session, single_value, state

files = Blueprint("report_files", __name__, url_prefix="/_files/reports")
FORMATS = {"csv", "json"}
ALL_FORMATS = {"csv", "json", "xml", "xlsx"}
STATUSES = {"submitted", "processing", "completed", "error"}
TYPES = {"periodic", "daily", "monthly", "onetime", "on_invoice"}


def _status(report: dict, now: float) -> str:
    timings = state().timings
    submitted, assigning, provisioning = timings.submitted, timings.assigning, timings.provisioning
    elapsed = now - report["_created"]
    if elapsed < submitted:
        return "submitted"
    if elapsed < submitted + assigning + provisioning:
        return "processing"
    return "completed"


def _view(report: dict) -> dict:
    status = _status(report, state().now())
    view = {
        "id": report["id"],
        "name": report["name"],
        "status": status,
        "type": report["type"],
        "format": report["format"],
        "creationDate": report["creationDate"],
        "startDate": report["startDate"],
        "endDate": report["endDate"],
    }
    if report.get("customizationName"):
        view["customizationName"] = report["customizationName"]
    if status == "completed":
        view["downloadUrl"] = (
            f"{request.host_url}_files/reports/{report['id']}.{report['format']}"
            f"?sig={report['_signature']}"
        )
    return view


def _date(body: dict, field: str) -> date:
    raw = body.get(field)
    try:
        return date.fromisoformat(str(raw)[:10])
    except ValueError:
        raise ApiError(400, f"Invalid value of field '{field}': must be a date-time.") from None


@api.post("/reports")
def reports_create():
    body = json_body()
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise ApiError(400, "Field 'name' is required.")
    if "startDate" not in body:
        raise ApiError(400, "Field 'startDate' is required.")
    simulator = state()
    start = _date(body, "startDate")
    end = _date(body, "endDate") if body.get("endDate") else simulator.now_datetime().date()
    if end < start:
        raise ApiError(400, "Field 'endDate' must not be before 'startDate'.")
    report_format = body.get("format", "json")
    if report_format not in ALL_FORMATS:
        raise ApiError(400, f"Invalid value of field 'format': {report_format}.")
    if report_format not in FORMATS:
        raise ApiError(400, f"Reports in the '{report_format}' format are not available.")
    with simulator.lock:
        now = simulator.now()
        report = {
            "id": str(uuid.uuid4()),
            "name": body["name"].strip(),
            "customizationName": str(body.get("customizationName") or ""),
            "type": "onetime",
            "format": report_format,
            "creationDate": iso_datetime(now),
            "startDate": f"{start.isoformat()}T00:00:00Z",
            "endDate": f"{end.isoformat()}T23:59:59Z",
            "_created": now,
            "_resellerId": session()["resellerId"],
            "_signature": secrets.token_urlsafe(24),
        }
        simulator.reports[report["id"]] = report
        simulator.touch_singleton("reports")
        return _view(report), 201


@api.get("/reports")
def reports_list():
    simulator = state()
    filters = {name: single_value(name) for name in ("name", "format", "status", "type")}
    for name, allowed in (("format", ALL_FORMATS), ("status", STATUSES), ("type", TYPES)):
        if filters[name] and filters[name] not in allowed:
            raise ApiError(400, f"Parameter '{name}' must be one of {', '.join(sorted(allowed))}.")
    since, until = request.args.get("from"), request.args.get("to")
    with simulator.lock:
        views = [
            _view(r)
            for r in sorted(simulator.reports.values(), key=lambda r: r["_created"], reverse=True)
            if r["_resellerId"] == session()["resellerId"]
        ]
    views = [
        v
        for v in views
        if all(not filters[k] or v[k] == filters[k] for k in filters)
        and (not since or v["endDate"][:10] >= since[:10])
        and (not until or v["startDate"][:10] <= until[:10])
    ]
    return paginate(views, lambda v: v)


@api.get("/reports/<report_id>")
def reports_get(report_id):
    report = state().reports.get(report_id)
    if report is None or report["_resellerId"] != session()["resellerId"]:
        raise not_found("Report", report_id)
    return _view(report)


@files.get("/<report_id>.<extension>")
def report_file(report_id, extension):
    simulator = state()
    report = simulator.reports.get(report_id)
    if (
        report is None
        or extension != report["format"]
        or not secrets.compare_digest(request.args.get("sig", ""), report["_signature"])
        or _status(report, simulator.now()) != "completed"
    ):
        return Response("The specified blob does not exist.", status=404, mimetype="text/plain")
    start = date.fromisoformat(report["startDate"][:10])
    end = date.fromisoformat(report["endDate"][:10])
    with simulator.lock:  # a snapshot: the lines as the state stands now
        renew_due(simulator)  # renewals are applied when read; a scheduled change applies there
        lines = list(rated_lines(simulator, report["_resellerId"], start, end))
    if extension == "csv":
        return Response(stream_with_context(_csv(lines)), mimetype="text/csv")
    return Response(stream_with_context(_json(lines)), mimetype="application/json")


def _csv(lines):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for number, line in enumerate(lines, 1):
        writer.writerow(line)
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(lines):
    yield "["
    for number, line in enumerate(lines):
        yield ("," if number else "") + json.dumps(line)
    yield "]"
