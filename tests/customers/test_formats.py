"""Dates in each language's own format; the English possessive only in English."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from customers.templatetags.words import day, moment, possessive

DAYS = [
    ("en", "4 December 2026"),
    ("de", "4. Dezember 2026"),
    ("fr", "4 décembre 2026"),
    ("es", "4 de diciembre de 2026"),
    ("nl", "4 december 2026"),
]


@pytest.mark.parametrize(("language", "written"), DAYS)
def test_a_day_is_written_in_the_language_of_the_page(language, written):
    with translation.override(language):
        assert day(date(2026, 12, 4)) == written


def test_a_moment_adds_the_24_hour_time_in_every_language():
    when = datetime(2026, 12, 4, 19, 5, 30, tzinfo=UTC)
    with translation.override("de"):
        assert moment(when, "seconds") == "4. Dezember 2026, 19:05:30"
    with translation.override("en"):
        assert moment(when) == "4 December 2026, 19:05"


def test_the_possessive_is_english_only():
    with translation.override("en"):
        assert possessive("Contoso") == "Contoso's"
        assert possessive("Fabrikam Services") == "Fabrikam Services'"
    with translation.override("de"):
        assert possessive("Contoso") == "Contoso"  # the German sentence places the name


def test_a_subscription_status_is_worded_in_the_language_of_the_page():
    from customers.templatetags.words import subscription_status

    with translation.override("de"):
        assert subscription_status("active") == "Aktiv"
        assert subscription_status("migrating") == "Migrating"  # unknown: as it came
    with translation.override("en"):
        assert subscription_status("active") == "Active"
