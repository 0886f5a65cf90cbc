"""The IANA time zones a reseller may choose for the times its reminders and e-mails give.

The list offered is IANA's own table of canonical zones (``zone.tab``, one or more per
country; pytz's ``common_timezones`` is built from it), plus UTC: not every name zoneinfo
knows (~600, with links and aliases such as GB-Eire, localtime or Factory). Any name
zoneinfo knows stays valid, so a zone saved before is never refused.
"""

import importlib.resources
import zoneinfo
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: IANA's table of canonical zones, shipped with the time zone database (tzdata).
ZONE_TABLE = "zone.tab"


@cache
def time_zone_names() -> tuple[str, ...]:
    """Return the zones to offer: the table's and UTC (every known zone if no table is there)."""
    known = known_time_zones()
    table = _zone_table()
    if table is None:
        return tuple(sorted(known))
    zones = {
        line.split("\t")[2]
        for line in table.splitlines()
        if line.strip() and not line.startswith("#")
    }
    return tuple(sorted((zones | {"UTC"}) & known))


@cache
def known_time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _zone_table() -> str | None:
    """Return zone.tab from where zoneinfo reads its zones: the system's, else tzdata's."""
    for directory in zoneinfo.TZPATH:
        path = Path(directory) / ZONE_TABLE
        if path.is_file():
            return path.read_text(encoding="utf-8")
    try:
        return importlib.resources.files("tzdata.zoneinfo").joinpath(ZONE_TABLE).read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def validate_time_zone(value: str) -> None:
    if value not in known_time_zones():
        raise ValidationError(
            _("%(value)s is not a time zone name; choose one such as Europe/Berlin."),
            params={"value": value},
        )
