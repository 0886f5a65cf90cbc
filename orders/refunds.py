"""The refund of a cancellation or seat reduction: our estimate, then the marketplace's figure.

When a cancellation or a reduction is placed, its refund is estimated here
(``orders.services.changes``; kept in ``Order.total``). Once the marketplace
answers, its own figure (the order's ``recurringRefund`` details) is recorded
beside it: "estimated by the marketplace" while the order is open, "confirmed
by the marketplace" on the completed order. Pages, e-mail and the API show the
best figure known and say whose it is.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import cause_words
from .lifecycle import Actor, order_record
from .models import Order

#: Detail types that give money back (docs/upstream.md "Cancellation", README §OrderDetail).
REFUND_DETAIL_TYPES = ("recurringRefund", "refund")
ESTIMATED_HERE = "estimated_here"
ESTIMATED = "estimated"
CONFIRMED = "confirmed"
LABELS = {
    ESTIMATED_HERE: _("Estimated refund"),
    ESTIMATED: _("Refund estimated by the marketplace"),
    CONFIRMED: _("Refund confirmed by the marketplace"),
}
NOTES = {
    ESTIMATED_HERE: _(
        "our estimate, prorated by day; the marketplace's own figure replaces it once it answers"
    ),
    ESTIMATED: _("the marketplace's figure while the order is open; confirmed when it completes"),
    CONFIRMED: _("the marketplace's figure on the completed order; the invoice is final"),
}


@dataclass(frozen=True)
class Refund:
    """The refund an order shows: how much, and whose figure it is."""

    amount: Decimal
    currency: str
    basis: str
    our_estimate: Decimal | None = None

    @property
    def label(self) -> str:
        return LABELS[self.basis]

    @property
    def note(self) -> str:
        return NOTES[self.basis]

    @property
    def from_marketplace(self) -> bool:
        return self.basis != ESTIMATED_HERE

    @property
    def differs_from_estimate(self) -> bool:
        return (
            self.from_marketplace
            and self.our_estimate is not None
            and self.our_estimate != self.amount
        )


def refund_of(order: Order) -> Refund | None:
    """Return the refund ``order`` brings, or None when it brings none (a purchase, an addition)."""
    estimate = _our_estimate(order)
    if order.marketplace_refund is not None:
        return Refund(
            amount=order.marketplace_refund,
            currency=order.marketplace_refund_currency or order.currency,
            basis=order.marketplace_refund_basis or ESTIMATED,
            our_estimate=estimate,
        )
    if estimate is None:
        return None
    return Refund(amount=estimate, currency=order.currency, basis=ESTIMATED_HERE)


def _our_estimate(order: Order) -> Decimal | None:
    if order.kind == Order.Kind.CANCELLATION:
        return order.total
    if order.kind == Order.Kind.CHANGE and order.total < 0:
        return -order.total  # a reduction's total is its (negative) change per period
    return None


def marketplace_refund(upstream) -> tuple[Decimal, str] | None:
    """Return the refund (positive) and currency the marketplace's order states, or None."""
    refunds = [
        d.extended_price
        for d in upstream.details
        if d.type in REFUND_DETAIL_TYPES and d.extended_price is not None
    ]
    if refunds:
        # Refund lines are negative amounts upstream; the refund is their size.
        return abs(sum((m.amount for m in refunds), Decimal(0))), refunds[0].currency
    return None


def order_refund_record(order: Order, upstream) -> None:
    """Record the marketplace's refund figure from its answer about a follow-up order.

    A confirmed figure (the completed order's) is never replaced by an estimate.
    """
    if order.kind == Order.Kind.SALES:
        return
    stated = marketplace_refund(upstream)
    if stated is None:
        return
    amount, currency = stated
    amount = amount.quantize(Decimal("0.01"))
    basis = CONFIRMED if upstream.status == "completed" else ESTIMATED
    if order.marketplace_refund_basis == CONFIRMED and basis != CONFIRMED:
        return
    unchanged = (order.marketplace_refund, order.marketplace_refund_basis) == (amount, basis)
    if unchanged:
        return
    changes = {
        "marketplace_refund": amount,
        "marketplace_refund_currency": currency or order.currency,
        "marketplace_refund_basis": basis,
    }
    Order.objects.filter(pk=order.pk).update(**changes)
    for name, value in changes.items():
        setattr(order, name, value)
    order_record(order, "refund_stated", actor=Actor.UPSTREAM, cause=_stated_cause(order))


def _stated_cause(order: Order) -> str:
    """The history's sentence for the marketplace's figure, its money in English (cause_words)."""
    refund = refund_of(order)
    confirmed = refund.basis == CONFIRMED
    values = {"amount": cause_words.money_words(refund.amount, refund.currency)}
    if not refund.our_estimate:
        sentence = cause_words.REFUND_CONFIRMED if confirmed else cause_words.REFUND_ESTIMATED
        return sentence % values
    values["ours"] = cause_words.money_words(refund.our_estimate, order.currency)
    if confirmed:
        return cause_words.REFUND_CONFIRMED_BESIDE_OURS % values
    return cause_words.REFUND_ESTIMATED_BESIDE_OURS % values
