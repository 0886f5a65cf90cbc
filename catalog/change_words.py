"""What a change to a subscription's next term does, in words: "3 → 2 seats", a plan, a period.

Shared by the renewal reminder (reminders.renewal_words) and the pages that list a change
waiting for the renewal (orders.services.renewal_changes.ScheduledChange), so a change reads
the same in the e-mail, on the renewals page and on the subscription page.
"""

from django.utils.translation import gettext as _

from .price_words import term_and_billing

SEATS, PLAN, PERIOD = "seats", "plan", "period"


def change_kind(before, after) -> str:
    """``plan`` (another product), ``period`` (its term or billing) or ``seats``."""
    if after.mpn != before.mpn:
        return PLAN
    if after.pk != before.pk:
        return PERIOD
    return SEATS


def terms_change_words(*, before, seats_before: int, after, seats_after: int) -> str:
    """Return what moving from ``seats_before`` of product ``before`` to ``seats_after`` of
    ``after`` does: "5 → 3 seats", "Business Basic → Business Standard", or
    "1 year, billed monthly → 1 month, billed monthly" (with the seats when they change too).
    """
    seats = _("%(before)s → %(after)s seats") % {"before": seats_before, "after": seats_after}
    kind = change_kind(before, after)
    if kind == SEATS:
        return seats
    if kind == PLAN:
        words = f"{before.name} → {after.name}"
    else:
        words = f"{_period(before)} → {_period(after)}"
    return f"{words}, {seats}" if seats_after != seats_before else words


def _period(product) -> str:
    return str(term_and_billing(product.term, product.billing_period))
