"""Plain-English helpers for templates."""

from django import template

from catalog.price_words import cart_totals, line_price_words

register = template.Library()


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
