"""Translations between the product's vocabulary and the API's JSON.

Periods: the product says ``P1M``/``P1Y``/``P3Y`` (ISO 8601); the API says
``{"type": "month", "duration": 1}``. PO numbers: every order carries our own
reference, alone or before the reseller's PO, so a lost response can be found.
"""

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from .constants import PO_NUMBER_MAX_LENGTH, PO_NUMBER_SEPARATOR

_UNIT_TO_API = {"D": "day", "M": "month", "Y": "year"}
_API_TO_UNIT = {api: unit for unit, api in _UNIT_TO_API.items()}


def period_to_api(iso: str) -> dict:
    """Return the API's period object for an ISO 8601 period such as ``P1Y``."""
    text = iso.strip().upper()
    if len(text) < 3 or text[0] != "P" or text[-1] not in _UNIT_TO_API or not text[1:-1].isdigit():
        raise ValueError(f"Not a period of days, months or years: {iso!r}")
    return {"type": _UNIT_TO_API[text[-1]], "duration": int(text[1:-1])}


def period_from_api(data) -> str | None:
    """Return ``P1M``/``P1Y``/``P3Y``… for the API's period object, or None when absent.

    Twelve or thirty-six months read as years, so ``month``/12 is ``P1Y``.
    """
    if not isinstance(data, dict) or not data.get("type"):
        return None
    kind = data["type"]
    unit = _API_TO_UNIT.get(kind) if isinstance(kind, str) else None
    duration = decimal_or_none(data.get("duration"))
    if duration is None or duration != duration.to_integral_value():
        return None
    duration = int(duration)
    if unit is None or duration <= 0:
        return None
    if unit == "M" and duration % 12 == 0:
        unit, duration = "Y", duration // 12
    return f"P{duration}{unit}"


def po_number_for(reference: str, reseller_po: str = "") -> str:
    """Return the poNumber to send: our reference, then the reseller's PO if any.

    The reference always survives whole; the reseller's PO is cut to fit.
    """
    reference = reference.strip()
    if not reference or PO_NUMBER_SEPARATOR.strip() in reference:
        raise ValueError(f"Not a usable order reference: {reference!r}")
    reseller_po = " ".join(reseller_po.split())
    if not reseller_po:
        return reference[:PO_NUMBER_MAX_LENGTH]
    combined = f"{reference}{PO_NUMBER_SEPARATOR}{reseller_po}"
    return combined[:PO_NUMBER_MAX_LENGTH]


def po_number_has_reference(po_number: str | None, reference: str) -> bool:
    """Tell whether a poNumber was made by ``po_number_for`` from this reference."""
    if not po_number:
        return False
    head = po_number.split(PO_NUMBER_SEPARATOR, 1)[0].strip()
    return head == reference.strip()


#: Beyond this a number from the upstream is taken for garbage (Decimal would accept 1e999999).
_NUMBER_LIMIT = Decimal(10) ** 15


def decimal_or_none(value) -> Decimal | None:
    """Return a finite Decimal of sensible size, or None for anything else."""
    if value is None or value == "" or isinstance(value, bool | dict | list):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or abs(number) >= _NUMBER_LIMIT:
        return None
    return number


def int_or_none(value) -> int | None:
    number = decimal_or_none(value)
    return None if number is None else int(number)


def datetime_or_none(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    # The API speaks UTC; a time without an offset is read as UTC, never as naive.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def date_or_none(value) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
