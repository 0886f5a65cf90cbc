"""Prices in plain words: what they are in and what they are for ("12.00 USD per month")."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from rules.subscription import BILLING_WORDS, PER_BILLING_PERIOD, TERM_WORDS

from .models import Period
from .money import format_money


def price_per_period(amount, currency: str, billing_period: str) -> str:
    """Return e.g. "12.00 USD per month" for a price charged each ``billing_period``."""
    return _("%(price)s %(per)s") % {
        "price": format_money(amount, currency),
        "per": _per(billing_period),
    }


def term_and_billing(term: str, billing_period: str) -> str:
    """Return e.g. "3 years, billed annually" for ("P3Y", "P1Y")."""
    term_words = Period(term).label if term in Period.values else term
    return _("%(term)s, billed %(billing)s") % {
        "term": term_words,
        "billing": BILLING_WORDS.get(billing_period, billing_period),
    }


def _per(billing_period: str) -> str:
    if billing_period in PER_BILLING_PERIOD:
        return PER_BILLING_PERIOD[billing_period]
    return _("per %(period)s") % {"period": billing_period}


def line_price_words(line) -> str:
    """Return a cart line's price, billing and term: "36.00 USD per month, 1-year term"."""
    product = line.product
    term = TERM_WORDS.get(product.term, product.term)
    price = price_per_period(line.line_price, product.currency, product.billing_period)
    return _("%(price)s, %(term)s term") % {"price": price, "term": term}


def cart_totals(lines) -> list[tuple[str, str]]:
    """Return the cart's totals as (label, amount) pairs, one per billing period and currency.

    Lines billed alike add up to one "Total per month"; lines billed differently are
    never added together, since a monthly and a yearly price make no single figure.
    """
    return totals_by_period(
        (line.product.billing_period, line.product.currency, line.line_price) for line in lines
    )


def order_totals(order, lines) -> list[tuple[str, str]]:
    """Return an order's totals as (label, amount) pairs, as ``cart_totals`` does."""
    return _labelled(order_sums(order, lines))


def order_amounts(order, lines) -> list[str]:
    """Return an order's totals in words for a table cell, one per billing period and currency.

    "110.00 USD per month" and "96.00 USD per year" stay two figures: never "206.00 USD".
    """
    return [
        price_per_period(amount, currency, billing_period)
        for (billing_period, currency), amount in order_sums(order, lines).items()
    ]


def order_sums(order, lines) -> dict[tuple[str, str], Decimal]:
    """Return an order's totals by (billing period, currency).

    Lines billed alike show the order's own total (on a change order, the charge for
    the seats changed, not the lines' new totals); mixed lines are summed per period.
    """
    periods = {(line.billing_period, line.currency) for line in lines}
    if len(periods) == 1:
        return {periods.pop(): order.total}
    return period_sums((line.billing_period, line.currency, line.line_price) for line in lines)


def totals_by_period(items) -> list[tuple[str, str]]:
    """Return (label, amount) totals of (billing period, currency, amount) items."""
    return _labelled(period_sums(items))


def period_sums(items) -> dict[tuple[str, str], Decimal]:
    """Return the sums of (billing period, currency, amount) items by period and currency."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for billing_period, currency, amount in items:
        sums[(billing_period, currency)] += amount
    return dict(sums)


def _labelled(sums: dict[tuple[str, str], Decimal]) -> list[tuple[str, str]]:
    if len(sums) == 1:
        (((billing_period, currency), amount),) = sums.items()
        return [
            (_("Total %(per)s") % {"per": _per(billing_period)}, format_money(amount, currency))
        ]
    return [
        (_("Total"), price_per_period(amount, currency, billing_period))
        for (billing_period, currency), amount in sums.items()
    ]
