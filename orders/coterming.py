"""Co-terming: a new subscription aligned to an existing one's end date or a month's end.

Each product carries the marketplace's rule (``Product.coterming_required``: MANDATORY forces
alignment when the customer has a subscription to align with, RESTRICTED forbids it, ALLOWED
offers it; ``coterming_type``: SUBSCRIPTION or END_OF_MONTH says what it aligns to). The order
asks for it with ``alignExpirationDate`` (orders.upstream_mapping); the first charge covers only
the days up to the first billing date counted back from the aligned end.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

MANDATORY, RESTRICTED = "MANDATORY", "RESTRICTED"
ON_SUBSCRIPTION, END_OF_MONTH = "CO_TERM_ON_SUBSCRIPTION", "MATCH_END_OF_CALENDAR_MONTH"
CENT = Decimal("0.01")


def period_months(period: str) -> int:
    """``"P1M"`` → 1, ``"P1Y"`` → 12, ``"P3Y"`` → 36."""
    count, unit = int(period[1:-1]), period[-1]
    return count * 12 if unit == "Y" else count


def months_added(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative: back), kept inside a shorter month."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def month_end_before(day: date) -> date:
    """The last day of the month before ``day``'s: a co-termed end of calendar month."""
    return date.fromordinal(day.replace(day=1).toordinal() - 1)


@dataclass(frozen=True)
class Coterm:
    """The aligned end of a new subscription and what its first, shortened period costs."""

    end: date
    #: The partial first billing period: start, its first billing date, and its share.
    first_billing_date: date
    share: Decimal
    first_charge: Decimal


def coterm_end(*, product, target=None, end_of_month: bool = False, today: date) -> date | None:
    """The end date the alignment gives a new subscription of ``product`` bought ``today``."""
    if target is not None:
        return target.renewal_date
    if end_of_month:
        return month_end_before(months_added(today, period_months(product.term)))
    return None


def coterm_first_charge(
    *, unit_price: Decimal, quantity: int, billing_period: str, start: date, end: date
) -> Coterm:
    """Price the first billing period of a subscription co-termed to end on ``end``.

    Billing dates fall every billing period counted back from ``end``; the first charge covers
    ``start`` up to the first of them, as its share of that whole billing period.
    """
    boundary, period_days = coterm_first_period(
        start=start, end=end, months=period_months(billing_period)
    )
    days = (boundary - start).days
    share = Decimal(days) / Decimal(period_days)
    # Multiplied before dividing, as the bill prorates (billing.charges.prorated).
    charge = (unit_price * quantity * days / period_days).quantize(CENT, ROUND_HALF_UP)
    return Coterm(end=end, first_billing_date=boundary, share=share, first_charge=charge)


def coterm_first_period(*, start: date, end: date, months: int) -> tuple[date, int]:
    """Return the first billing date of a subscription bought on ``start`` that ends on
    ``end`` (billing every ``months``), and the days of the billing period it closes.

    Billing dates fall every billing period counted back from ``end``; the first is the
    earliest after ``start``; its billing period runs one billing period back from it.
    """
    boundary, back = end, 1
    while months_added(end, -months * back) > start:
        boundary = months_added(end, -months * back)
        back += 1
    return boundary, (boundary - months_added(boundary, -months)).days


def coterm_problems(*, product, target, end_of_month: bool, customer_subscriptions, today: date):
    """Return why this alignment of ``product`` is refused (field, message), or nothing."""
    aligned = target is not None or end_of_month
    rule, kind = product.coterming_required, product.coterming_type
    if not aligned:
        if rule == MANDATORY and customer_subscriptions:
            return [
                _(
                    "%(product)s must end with one of the customer's subscriptions: "
                    "choose the subscription to align it with."
                )
                % {"product": product.name}
            ]
        return []
    if rule == RESTRICTED:
        return [
            _("%(product)s cannot be aligned with another end date: buy it on its own term.")
            % {"product": product.name}
        ]
    if target is not None and kind == "END_OF_MONTH":
        return [
            _("%(product)s can only be aligned with the end of a calendar month.")
            % {"product": product.name}
        ]
    if end_of_month and kind != "END_OF_MONTH":
        return [
            _("%(product)s can only be aligned with an existing subscription's end date.")
            % {"product": product.name}
        ]
    if target is not None and target not in customer_subscriptions:
        return [_("That subscription is not an active subscription of this customer.")]
    if target is not None and target.renewal_date is None:
        return [
            _("The end date of that subscription is not known yet: try again in a few minutes.")
        ]
    end = coterm_end(product=product, target=target, end_of_month=end_of_month, today=today)
    natural = months_added(today, period_months(product.term))
    if end is None or not today < end <= natural:
        return [
            _(
                "%(product)s cannot end on that date: it must fall after today and "
                "within its own term (by %(natural)s)."
            )
            % {"product": product.name, "natural": natural.isoformat()}
        ]
    return []


@dataclass(frozen=True)
class CotermQuote:
    """What a co-termed order costs at purchase: the shared end date and the first charges."""

    end: date
    first_charge: Decimal
    lines: tuple[Coterm, ...]


def coterm_quote(*, request, products, target, today: date) -> CotermQuote | None:
    """Return the aligned end and prorated first charge of ``request``, or None (not aligned).

    ``products`` maps each line's product id to its Product; ``target`` is the subscription
    aligned with (orders.upstream_mapping.coterm_target), if any.
    """
    if target is None and not request.coterm_end_of_month:
        return None
    lines = []
    for line in request.lines:
        product = products[line.product_id]
        end = coterm_end(
            product=product, target=target, end_of_month=request.coterm_end_of_month, today=today
        )
        lines.append(
            coterm_first_charge(
                unit_price=_unit_price(line, product),
                quantity=line.quantity,
                billing_period=product.billing_period,
                start=today,
                end=end,
            )
        )
    return CotermQuote(
        end=lines[0].end,
        first_charge=sum((c.first_charge for c in lines), Decimal(0)),
        lines=tuple(lines),
    )


def _unit_price(line, product) -> Decimal:
    """The price the buyer was shown (its price book's, checked by orders.checks), else the
    list price: what the order sends as the line's price, so what the marketplace prorates."""
    try:
        return Decimal(str(line.expected_unit_price))
    except (InvalidOperation, ValueError):
        return product.price


@dataclass(frozen=True)
class CotermOption:
    """One way the new subscriptions of an order may end, as the review page offers it."""

    value: str  # "" (their own term), "month_end", or "s<subscription pk>"
    target: object | None
    end_of_month: bool
    quote: CotermQuote | None


def coterm_value_parse(value: str) -> tuple[int | None, bool]:
    """``"s12"`` → (12, False); ``"month_end"`` → (None, True); anything else → (None, False)."""
    if value == "month_end":
        return None, True
    if value.startswith("s") and value[1:].isdigit():
        return int(value[1:]), False
    return None, False


def coterm_options(*, request, products, active, today: date) -> list[CotermOption]:
    """Every alignment each product of ``request`` accepts, with what it costs at purchase.

    ``active``: the customer's active subscriptions. Their own term comes first unless a
    product's rule forbids it; an empty list means no alignment satisfies every product.
    """
    options = []
    candidates = [("", None, False)]
    candidates += [(f"s{s.pk}", s, False) for s in active if s.renewal_date]
    candidates.append(("month_end", None, True))
    for value, target, end_of_month in candidates:
        refused = any(
            coterm_problems(
                product=product,
                target=target,
                end_of_month=end_of_month,
                customer_subscriptions=active,
                today=today,
            )
            for product in products.values()
        )
        if refused:
            continue
        asked = replace(
            request,
            coterm_subscription_id=target.pk if target else None,
            coterm_end_of_month=end_of_month,
        )
        quote = coterm_quote(request=asked, products=products, target=target, today=today)
        options.append(CotermOption(value, target, end_of_month, quote))
    return options
