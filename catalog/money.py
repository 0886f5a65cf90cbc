"""Money and numbers written for the active language, by Babel (Django formats no currency).

Amounts carry the currency's ISO code, not its symbol: the product sells in many countries,
where "$" could be US, Canadian or Australian dollars. Digits, grouping, the decimal sign and
the currency's number of decimals (none for JPY) come from Babel's locale data.
"""

import functools
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.conf import settings
from django.utils.translation import get_language, to_locale

#: The amount, a space, the ISO code: "1,234.50 USD", "1.234,50 USD", "1 234,50 USD".
MONEY_PATTERN = "#,##0.00 ¤¤"


def babel_locale() -> str:
    """Return the active language as a Babel locale name ("de", "pt_BR")."""
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def format_money(amount, currency: str) -> str:
    """Return ``amount`` in ``currency`` for the active language: "1.234,50 EUR" in German."""
    if amount is None or amount == "":
        return ""
    if not currency:
        return format_number(amount)
    return _money_text(Decimal(amount), currency, babel_locale())


@functools.lru_cache(maxsize=4096)
def _money_text(amount: Decimal, currency: str, locale: str) -> str:
    # A page repeats the same few prices; Babel parses the pattern anew on every call.
    return format_currency(amount, currency, format=MONEY_PATTERN, locale=locale)


def format_number(value) -> str:
    """Return a number with the active language's grouping and decimal sign: "1.234,5"."""
    if value is None or value == "":
        return ""
    return format_decimal(value, locale=babel_locale())
