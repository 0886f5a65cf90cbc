"""The Microsoft Customer Agreement: the date it was accepted (§2.1, §2.5)."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import RuleViolation
from .text import long_date

#: The marketplace's format for agreement_date.
AGREEMENT_DATE_FORMAT = "%m-%d-%Y"
_SHAPE = re.compile(r"\d{2}-\d{2}-\d{4}", re.ASCII)
#: The customer may be in the world's latest time zone (UTC+14): "today" there is
#: not the future, even while it is still yesterday on the server.
LATEST_UTC_OFFSET = datetime.timedelta(hours=14)


def latest_date_on_earth() -> datetime.date:
    """Return today's date where the calendar is furthest ahead (UTC+14)."""
    return (timezone.now().astimezone(datetime.UTC) + LATEST_UTC_OFFSET).date()


def format_agreement_date(value: datetime.date) -> str:
    """Return ``value`` as the marketplace wants it: MM-DD-YYYY."""
    return value.strftime(AGREEMENT_DATE_FORMAT)


def check_agreement_date(value, *, today=None, field="agreement_date") -> datetime.date:
    """Return the date the customer accepted the MCA, or raise RuleViolation.

    ``value`` is a ``date`` or a string in MM-DD-YYYY. ``today`` defaults to
    the latest date anywhere on Earth, so a customer east of the server is
    never told that today is in the future.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        accepted_on = value
    else:
        text = str(value or "").strip()
        if not text:
            raise RuleViolation(
                _(
                    "Enter the date the customer accepted the Microsoft Customer Agreement, "
                    "as MM-DD-YYYY."
                ),
                field=field,
            )
        if not _SHAPE.fullmatch(text):
            raise RuleViolation(
                _(
                    "Write the date as MM-DD-YYYY (month first), for example 01-31-2026, "
                    'not "%(text)s".'
                ),
                field=field,
                params={"text": text},
            )
        try:
            accepted_on = datetime.datetime.strptime(text, AGREEMENT_DATE_FORMAT).date()
        except ValueError:
            raise RuleViolation(
                _(
                    '"%(text)s" is not a real date: check the month (first) and the day '
                    "(second), as in 01-31-2026."
                ),
                field=field,
                params={"text": text},
            ) from None
    today = today or latest_date_on_earth()
    if accepted_on > today:
        raise RuleViolation(
            _(
                "The agreement date, %(date)s, is in the future: "
                "enter the day the customer actually accepted it."
            ),
            field=field,
            params={"date": long_date(accepted_on)},
        )
    return accepted_on
