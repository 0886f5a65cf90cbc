"""Rated-data reports: what the reseller was charged, generated upstream and downloaded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..mapping import datetime_or_none
from .common import _str

#: A report is ready to download in this status; these two end it without a file.
COMPLETED = "completed"
FAILED_STATUSES = ("error", "unknown")


@dataclass(frozen=True)
class Report:
    id: str
    name: str
    status: str
    type: str = ""
    format: str = ""
    created_at: datetime | None = None
    start: datetime | None = None
    end: datetime | None = None
    download_url: str = ""

    @classmethod
    def from_api(cls, data: dict) -> Report:
        return cls(
            id=_str(data.get("id")),
            name=_str(data.get("name")),
            status=_str(data.get("status")),
            type=_str(data.get("type")),
            format=_str(data.get("format")),
            created_at=datetime_or_none(data.get("creationDate")),
            start=datetime_or_none(data.get("startDate")),
            end=datetime_or_none(data.get("endDate")),
            download_url=_str(data.get("downloadUrl")),
        )

    @property
    def ready(self) -> bool:
        return self.status == COMPLETED and bool(self.download_url)

    @property
    def failed(self) -> bool:
        return self.status in FAILED_STATUSES
