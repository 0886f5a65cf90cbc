"""Money and numbers are written for the active language by Babel, with the currency's ISO code."""

from decimal import Decimal

import pytest
from django.utils import translation

from catalog.money import format_money, format_number, format_rate
from catalog.price_words import price_per_period

# Written out here from what a reader of each language expects (CLDR's conventions),
# not computed with Babel. French groups with a narrow no-break space.
AMOUNTS = [
    ("en", "1,234.50 USD"),
    ("de", "1.234,50 USD"),
    ("fr", "1\u202f234,50 USD"),
    ("es", "1.234,50 USD"),
    ("nl", "1.234,50 USD"),
]


@pytest.mark.parametrize(("language", "written"), AMOUNTS)
def test_an_amount_is_written_the_way_its_language_writes_it(language, written):
    with translation.override(language):
        assert format_money(Decimal("1234.5"), "USD") == written


def test_a_currency_without_cents_keeps_none():
    with translation.override("de"):
        assert format_money(Decimal("1200"), "JPY") == "1.200 JPY"


def test_a_price_per_period_uses_the_same_writing():
    with translation.override("de"):
        assert price_per_period(Decimal("12"), "EUR", "P1M").startswith("12,00 EUR ")


def test_numbers_are_grouped_for_the_language():
    with translation.override("de"):
        assert format_number(12345) == "12.345"
    with translation.override("en"):
        assert format_number(12345) == "12,345"


def test_nothing_is_written_for_no_amount():
    assert format_money(None, "USD") == ""
    assert format_number("") == ""


@pytest.mark.parametrize(
    ("language", "written"), [("en", "12.5%"), ("de", "12,5\xa0%"), ("fr", "12,5\xa0%")]
)
def test_a_rate_is_written_the_way_its_language_writes_it(language, written):
    with translation.override(language):
        assert format_rate(Decimal("12.50")) == written
        assert format_rate(Decimal("25.00")) == written.replace("12,5", "25").replace("12.5", "25")
