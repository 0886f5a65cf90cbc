"""Money and numbers written for the active language, by Babel (Django formats no currency).

Amounts carry the currency's ISO code, not its symbol: the product sells in many countries,
where "$" could be US, Canadian or Australian dollars. Digits, grouping, the decimal sign and
the currency's number of decimals (none for JPY) come from Babel's locale data.
"""

import functools
from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    format_percent,
    parse_decimal,
)
from django.conf import settings
from django.utils.translation import get_language, to_locale

#: The amount, a space, the ISO code: "1,234.50 USD", "1.234,50 USD", "1 234,50 USD".
MONEY_PATTERN = "#,##0.00 ¤¤"


def babel_locale() -> str:
    """Return the active language as a Babel locale name ("de", "pt_BR")."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def format_money(amount, currency: str, *, locale: str | None = None) -> str:
    """Return ``amount`` in ``currency`` for the active language: "1.234,50 EUR" in German.

    ``locale`` names another language, for text stored in one language to be read in
    another later (an order's history is stored in English).
    """
    if amount is None or amount == "":
        return ""
    if not currency:
        return format_number(amount)
    return _money_text(Decimal(amount), currency, locale or babel_locale())


@functools.lru_cache(maxsize=4096)
def _money_text(amount: Decimal, currency: str, locale: str) -> str:
    # A page repeats the same few prices; Babel parses the pattern anew on every call.
    return format_currency(amount, currency, format=MONEY_PATTERN, locale=locale)


def money_parse(text: str, *, locale: str) -> tuple[Decimal, str] | None:
    """Return the amount and currency of money ``format_money`` wrote in ``locale``, or None.

    "1,234.50 USD" in English gives (Decimal("1234.50"), "USD"); text that is not an
    amount and an ISO code gives None.
    """
    number, _space, currency = text.strip().rpartition(" ")
    if not (len(currency) == 3 and currency.isascii() and currency.isupper()):
        return None
    try:
        return parse_decimal(number, locale=locale, strict=True), currency
    except NumberFormatError:
        return None


def format_number(value) -> str:
    """Return a number with the active language's grouping and decimal sign: "1.234,5"."""
    if value is None or value == "":
        return ""
    return _number_text(value, babel_locale())


@functools.lru_cache(maxsize=4096)
def _number_text(value, locale: str) -> str:
    # A catalogue page shows the same few margin rates on every row (as _money_text).
    return format_decimal(value, locale=locale)


def format_rate(percent) -> str:
    """Return a rate given in percent for the active language: "12.5%", "12,5 %" in German."""
    if percent is None or percent == "":
        return ""
    return format_percent(
        Decimal(percent).normalize() / 100, locale=babel_locale(), decimal_quantization=False
    )
