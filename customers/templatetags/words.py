"""Helpers for templates: dates, money and numbers in the active language, prices in words."""

import datetime
import functools

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.formats import get_format
from django.utils.translation import get_language, pgettext_lazy

from catalog.money import format_money, format_number
from catalog.price_words import cart_totals, line_price_words, order_amounts, order_totals

register = template.Library()

#: Dates are shown in the active language's DATE_FORMAT (Django's, English's in
#: config/formats/en): "4 December 2026", "4. Dezember 2026", never "12-04-2026", which is
#: April in Europe and December in the US. The marketplace's MM-DD-YYYY only goes upstream.
#: Times are on the 24-hour clock in every language.
TIME_FORMAT = "H:i"


@register.filter
def possessive(name) -> str:
    """Return ``name`` in the English possessive: "Contoso's", but "Fabrikam Services'".

    In other languages the name is returned as it is: their translations place it
    ("Die Lizenzen von {{ owner }}"), since no "'s" works there.
    """
    name = str(name or "").rstrip()
    if not name or not (get_language() or "en").startswith("en"):
        return name
    return f"{name}'" if name[-1] in "sS" else f"{name}'s"


#: A subscription's status as the marketplace words it, in the language of the page.
SUBSCRIPTION_STATUS_WORDS = {
    "active": pgettext_lazy("subscription status", "Active"),
    "pending": pgettext_lazy("subscription status", "Pending"),
    "suspended": pgettext_lazy("subscription status", "Suspended"),
    "cancelled": pgettext_lazy("subscription status", "Cancelled"),
    "terminated": pgettext_lazy("subscription status", "Terminated"),
    "expired": pgettext_lazy("subscription status", "Expired"),
}


@register.filter
def subscription_status(status) -> str:
    """Return a subscription's status in words: "Active", "Aktiv"; an unknown one as it came."""
    words = SUBSCRIPTION_STATUS_WORDS.get(str(status or "").lower())
    return str(words) if words else str(status or "").capitalize()


@register.filter
def money(amount, currency) -> str:
    """Return an amount in a currency for the active language: "1.234,50 USD" in German."""
    return format_money(amount, currency)


@register.filter
def number(value) -> str:
    """Return a number grouped for the active language: "1.234" in German."""
    return format_number(value)


@register.filter
def line_price(line) -> str:
    """Return a cart line's price in words: "36.00 USD per month, 1-year term"."""
    return line_price_words(line)


@register.filter
def totals(lines) -> list[tuple[str, str]]:
    """Return the cart's (label, amount) totals, one per billing period and currency."""
    return cart_totals(lines)


@register.filter(expects_localtime=True)
def day(value) -> str:
    """Return a date as people read it: "4 December 2026"."""
    if not value:
        return ""
    return _date_words(value, get_format("DATE_FORMAT"))


@register.filter(expects_localtime=True)
def moment(value, detail="") -> str:
    """Return a date and time: "4 December 2026, 07:21"; "seconds" and "zone" add those."""
    if not value:
        return ""
    date_format = get_format("DATE_FORMAT")
    if isinstance(value, datetime.datetime) and "zone" not in detail:
        # The date in words once per day and language (a list shows many rows of few days);
        # the clock (H:i, H:i:s) written here as Django's format writes it.
        clock = f"{value.hour:02d}:{value.minute:02d}"
        if "seconds" in detail:
            clock += f":{value.second:02d}"
        return f"{_date_words(value, date_format)}, {clock}"
    clock = TIME_FORMAT + (":s" if "seconds" in detail else "") + (" e" if "zone" in detail else "")
    return format_date(value, f"{date_format}, {clock}")


def _date_words(value, date_format: str) -> str:
    """Return ``value``'s date in ``date_format`` (a format of the date only, as DATE_FORMAT is)."""
    if isinstance(value, datetime.date):
        try:
            return _date_words_of(value.year, value.month, value.day, date_format, get_language())
        except TypeError:  # a format with the time in it: not one of a date alone
            pass
    return format_date(value, date_format)


@functools.lru_cache(maxsize=2048)
def _date_words_of(year: int, month: int, day: int, date_format: str, language) -> str:
    # Django's date format parses the format and translates the month on every call: a list
    # of 50 orders paid for it 50 times. ``language`` is only part of the key: the month's
    # name and the format are those of the active language.
    return format_date(datetime.date(year, month, day), date_format)


@register.simple_tag
def totals_of_order(order, lines) -> list[tuple[str, str]]:
    """Return the order's (label, amount) totals, one per billing period and currency."""
    return order_totals(order, lines)


@register.filter
def order_total_amounts(order) -> list[str]:
    """Return the order's totals in words, one per billing period and currency.

    The lines are those the table's query listed with the order (``listed_lines``, see
    orders.selectors.order_rows), else the order's own.
    """
    lines = getattr(order, "listed_lines", None)
    return order_amounts(order, order.lines.all() if lines is None else lines)
