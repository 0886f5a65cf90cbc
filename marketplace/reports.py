"""Rated-data reports (/reports): schedule one, read its status, stream its file.

The file lives where the platform exports it (blob storage: a signed URL, no bearer token), so
it is fetched with a plain client on the same transport, line by line: a month of lines is never
held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import httpx

from .constants import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, USER_AGENT
from .exceptions import APIConnectionError, APITimeoutError, NotFoundError
from .types import Report

REPORT_FORMAT = "csv"


class ReportsMixin:
    def schedule_report(self, *, name: str, start: date, end: date) -> Report:
        """Ask for a one-time rated-data report of ``start``..``end`` (both days included)."""
        body = {
            "name": name,
            "format": REPORT_FORMAT,
            "startDate": f"{start.isoformat()}T00:00:00Z",
            "endDate": f"{end.isoformat()}T23:59:59Z",
        }
        # Not repeated on its own: a repeat could schedule a second report (harmless, but
        # the caller records the first one's id and asks again on its own terms).
        return self._session.request("POST", "reports", json=body, idempotent=False, parse=Report)

    def get_report(self, *, report_id: str) -> Report:
        return self._get(f"reports/{_report_id(report_id)}", parse=Report)

    @contextmanager
    def report_lines(self, *, report: Report) -> Iterator[Iterator[str]]:
        """Open a completed report's file and yield an iterator over its text lines."""
        if not report.ready:
            raise ValueError(f"Report {report.id} is {report.status}, not ready to download.")
        timeout = httpx.Timeout(DEFAULT_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)
        with httpx.Client(
            transport=self._session.transport, timeout=timeout, headers={"User-Agent": USER_AGENT}
        ) as http:
            try:
                with http.stream("GET", report.download_url) as response:
                    if response.status_code == 404:
                        raise NotFoundError(
                            f"The file of report {report.id} is no longer there: ask for the "
                            "report again.",
                            status_code=404,
                        )
                    response.raise_for_status()
                    yield response.iter_lines()
            except httpx.TimeoutException as exc:
                raise APITimeoutError(f"Downloading report {report.id} timed out.") from exc
            except httpx.HTTPError as exc:
                raise APIConnectionError(
                    f"Downloading report {report.id} failed: {exc}", request_sent=True
                ) from exc


def _report_id(value) -> str:
    text = str(value).strip()
    if not text or "/" in text or "?" in text or "#" in text:
        raise ValueError(f"Not a report id: {value!r}")
    return text
