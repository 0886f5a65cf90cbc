"""Dates and amounts of subscriptions: ISO dates, adding months, term days, totals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal


def iso_datetime(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def days_left(anchor: date, day: date, period_days: int) -> int:
    """Return the days from `day` to the end of the billing period it falls in, `day` included,
    for billing dates on anchor + k × period_days."""
    return period_days - (day - anchor).days % period_days


def add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.month - 1 + months, 12)
    day = min(moment.day, 28)
    return moment.replace(year=moment.year + year, month=month + 1, day=day)


def refresh_totals(subscription: dict) -> None:
    product = subscription["products"][0]
    unit = Decimal(product["unitPrice"]["amount"])
    product["extendedPrice"] = {
        "amount": str(unit * product["quantity"]),
        "currency": product["unitPrice"]["currency"],
    }
    subscription["totalPrice"] = dict(product["extendedPrice"])


def term_days(period: dict) -> int:
    return {"month": 30, "year": 365}[period["type"]] * period["duration"]
