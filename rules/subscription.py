"""Subscription terms, billing periods and quantities (§2.9)."""

from .exceptions import RuleViolation

#: Terms and billing periods, spelt as in catalog.models.Period.
P1M, P1Y, P3Y = "P1M", "P1Y", "P3Y"
BILLING_WORDS = {P1M: "monthly", P1Y: "annually", P3Y: "every three years"}
TERM_WORDS = {P1M: "1-month", P1Y: "1-year", P3Y: "3-year"}
#: What a price is for: the product's price is per seat, per billing period.
PER_BILLING_PERIOD = {P1M: "per month", P1Y: "per year", P3Y: "per three years"}

#: Which billing periods each term may be paid with.
BILLING_PERIODS_BY_TERM = {
    P1M: (P1M,),
    P1Y: (P1M, P1Y),
    P3Y: (P1M, P1Y, P3Y),
}


def billing_periods_for(term) -> tuple[str, ...]:
    """Return the billing periods allowed for ``term`` (empty for an unknown term)."""
    return BILLING_PERIODS_BY_TERM.get(str(term or "").strip().upper(), ())


def check_term(value, *, field="term") -> str:
    """Return the term as "P1M", "P1Y" or "P3Y", or raise RuleViolation."""
    term = str(value or "").strip().upper()
    if term not in BILLING_PERIODS_BY_TERM:
        raise RuleViolation(
            "Choose a term: 1 month (P1M), 1 year (P1Y) or 3 years (P3Y).", field=field
        )
    return term


def check_billing_period(value, *, term, field="billing_period") -> str:
    """Return the billing period if ``term`` may be billed that way, or raise RuleViolation."""
    term = check_term(term)
    billing = str(value or "").strip().upper()
    allowed = BILLING_PERIODS_BY_TERM[term]
    if billing not in allowed:
        if len(allowed) == 1:
            message = f"A {TERM_WORDS[term]} term can only be billed monthly: choose monthly."
        else:
            choices = ", ".join(BILLING_WORDS[p] for p in allowed[:-1])
            message = (
                f"A {TERM_WORDS[term]} term is billed {choices} or {BILLING_WORDS[allowed[-1]]}: "
                "choose one of those."
            )
        raise RuleViolation(message, field=field)
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
            f"Enter the number of licences as a whole number from {minimum} to {maximum}.",
            field=field,
        )
    if quantity < minimum:
        raise RuleViolation(
            f"This plan needs at least {minimum} licence{'s' if minimum != 1 else ''}: "
            f"raise the quantity to {minimum} or more.",
            field=field,
        )
    if quantity > maximum:
        raise RuleViolation(
            f"This plan allows at most {maximum} licences per subscription: "
            f"lower the quantity to {maximum} or fewer.",
            field=field,
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
            f"A {TERM_WORDS[current]} term can't be shortened to a {TERM_WORDS[new]} term "
            "before it ends: keep the term, and schedule the change for the renewal.",
            field=field,
        )
    return new
