"""Subscription terms, billing periods and quantities (§2.9)."""

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .exceptions import RuleViolation

#: Terms and billing periods, spelt as in catalog.models.Period.
P1M, P1Y, P3Y = "P1M", "P1Y", "P3Y"
BILLING_WORDS = {P1M: _("monthly"), P1Y: _("annually"), P3Y: _("every three years")}
TERM_WORDS = {P1M: _("1-month"), P1Y: _("1-year"), P3Y: _("3-year")}
#: What a price is for: the product's price is per seat, per billing period.
PER_BILLING_PERIOD = {P1M: _("per month"), P1Y: _("per year"), P3Y: _("per three years")}

#: Which billing periods each term may be paid with.
BILLING_PERIODS_BY_TERM = {
    P1M: (P1M,),
    P1Y: (P1M, P1Y),
    P3Y: (P1M, P1Y, P3Y),
}


def _joined(words) -> str:
    # Lazily, so the words are read in the language of whoever reads the message.
    return lazy(lambda items: ", ".join(str(item) for item in items), str)(list(words))


def billing_periods_for(term) -> tuple[str, ...]:
    """Return the billing periods allowed for ``term`` (empty for an unknown term)."""
    return BILLING_PERIODS_BY_TERM.get(str(term or "").strip().upper(), ())


def check_term(value, *, field="term") -> str:
    """Return the term as "P1M", "P1Y" or "P3Y", or raise RuleViolation."""
    term = str(value or "").strip().upper()
    if term not in BILLING_PERIODS_BY_TERM:
        raise RuleViolation(
            _("Choose a term: 1 month (P1M), 1 year (P1Y) or 3 years (P3Y)."), field=field
        )
    return term


def check_billing_period(value, *, term, field="billing_period") -> str:
    """Return the billing period if ``term`` may be billed that way, or raise RuleViolation."""
    term = check_term(term)
    billing = str(value or "").strip().upper()
    allowed = BILLING_PERIODS_BY_TERM[term]
    if billing not in allowed:
        if len(allowed) == 1:
            raise RuleViolation(
                _("A %(term)s term can only be billed monthly: choose monthly."),
                field=field,
                params={"term": TERM_WORDS[term]},
            )
        raise RuleViolation(
            _("A %(term)s term is billed %(choices)s or %(last)s: choose one of those."),
            field=field,
            params={
                "term": TERM_WORDS[term],
                "choices": _joined(BILLING_WORDS[p] for p in allowed[:-1]),
                "last": BILLING_WORDS[allowed[-1]],
            },
        )
    return billing


def check_quantity(value, *, minimum, maximum, field="quantity") -> int:
    """Return the number of licences if it lies within the product's limits, or raise."""
    if isinstance(value, bool):
        value = None
    try:
        quantity = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        quantity = None
    if quantity is None:
        raise RuleViolation(
            _("Enter the number of licences as a whole number from %(minimum)s to %(maximum)s."),
            field=field,
            params={"minimum": minimum, "maximum": maximum},
        )
    if quantity < minimum:
        raise RuleViolation(
            ngettext_lazy(
                "This plan needs at least %(minimum)s licence: "
                "raise the quantity to %(minimum)s or more.",
                "This plan needs at least %(minimum)s licences: "
                "raise the quantity to %(minimum)s or more.",
                "minimum",
            ),
            field=field,
            params={"minimum": minimum},
        )
    if quantity > maximum:
        raise RuleViolation(
            ngettext_lazy(
                "This plan allows at most %(maximum)s licence per subscription: "
                "lower the quantity to %(maximum)s or fewer.",
                "This plan allows at most %(maximum)s licences per subscription: "
                "lower the quantity to %(maximum)s or fewer.",
                "maximum",
            ),
            field=field,
            params={"maximum": maximum},
        )
    return quantity


def check_term_change(current, new, *, field="term") -> str:
    """Return the new term if a subscription may move to it mid-term, or raise.

    Mid-term, a term can only get longer (P1M -> P1Y -> P3Y); a shorter term
    waits for the renewal.
    """
    current, new = check_term(current, field=field), check_term(new, field=field)
    order = list(BILLING_PERIODS_BY_TERM)
    if order.index(new) < order.index(current):
        raise RuleViolation(
            _(
                "A %(current)s term can't be shortened to a %(new)s term before it ends: "
                "keep the term, and schedule the change for the renewal."
            ),
            field=field,
            params={"current": TERM_WORDS[current], "new": TERM_WORDS[new]},
        )
    return new
