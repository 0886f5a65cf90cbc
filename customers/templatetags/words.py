"""Plain-English helpers for templates."""

from django import template
from django.template.defaultfilters import date as format_date

from catalog.price_words import cart_totals, line_price_words, order_amounts, order_totals

register = template.Library()

#: The one form dates are shown to people in: "4 December 2026" reads the same everywhere,
#: where "12-04-2026" is April in Europe and December in the US. The marketplace's
#: MM-DD-YYYY is only ever sent upstream (rules.agreement).
DAY_FORMAT = "j F Y"
TIME_FORMAT = "H:i"


@register.filter
def possessive(name) -> str:
    """Return ``name`` in the possessive: "Contoso's", but "Fabrikam Services'" (ends in s)."""
    name = str(name or "").rstrip()
    if not name:
        return ""
    return f"{name}'" if name[-1] in "sS" else f"{name}'s"


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
    return format_date(value, DAY_FORMAT) if value else ""


@register.filter(expects_localtime=True)
def moment(value, detail="") -> str:
    """Return a date and time: "4 December 2026, 07:21"; "seconds" and "zone" add those."""
    if not value:
        return ""
    clock = TIME_FORMAT + (":s" if "seconds" in detail else "") + (" e" if "zone" in detail else "")
    return format_date(value, f"{DAY_FORMAT}, {clock}")


@register.simple_tag
def totals_of_order(order, lines) -> list[tuple[str, str]]:
    """Return the order's (label, amount) totals, one per billing period and currency."""
    return order_totals(order, lines)


@register.filter
def order_total_amounts(order) -> list[str]:
    """Return the order's totals in words, one per billing period and currency."""
    return order_amounts(order, order.lines.all())
