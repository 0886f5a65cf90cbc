"""The renewal reminder's context: what each renewal will do, in the recipient's language.

Plain values only (the reseller's own wording renders them in mail/sandbox.py). Called inside
the recipient's language, so dates, money and words are theirs.
"""

from itertools import groupby

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from catalog.change_words import terms_change_words
from catalog.price_words import price_per_period, term_and_billing

from .renewal_outlook import PlannedChange, RenewalOutlook, Terms

#: auto_renew as the template reads it.
AUTO_RENEW = {True: "on", False: "off", None: "unknown"}

RENEWAL_VARIABLES = {
    "reseller_name": gettext_lazy("your company's name"),
    "count": gettext_lazy("how many subscriptions the e-mail lists"),
    "days_left": gettext_lazy("days until the first of them renews"),
    "renewals_url": gettext_lazy("the upcoming renewals page"),
    "customers": gettext_lazy(
        "the customers, each with name and subscriptions. Each subscription has product, "
        "seats, period, bill, reference (empty if adopted), subscription_id, adopted, "
        "renews_on, days_left, auto_renew (on, off or unknown), product_after, seats_after, "
        "period_after, bill_after, url and changes: the changes waiting for the renewal, "
        "each with reference, kind (seats, plan or period), words, bill_before, bill_after "
        "and accepted"
    ),
}


def renewal_context(reseller, outlooks: list[RenewalOutlook]) -> dict:
    """The plain values of one reminder of ``outlooks`` for ``reseller``."""
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    ordered = sorted(outlooks, key=lambda o: (o.subscription.customer_id, o.days_left))
    customers = [
        {
            "name": group[0].subscription.customer.company_name,
            "subscriptions": [_item(outlook, base) for outlook in group],
        }
        for group in (
            list(group) for _, group in groupby(ordered, key=lambda o: o.subscription.customer_id)
        )
    ]
    # The customer whose renewal comes first leads.
    customers.sort(
        key=lambda customer: (customer["subscriptions"][0]["days_left"], customer["name"])
    )
    return {
        "reseller_name": reseller.name,
        "count": len(outlooks),
        "days_left": min(outlook.days_left for outlook in outlooks),
        "renewals_url": base + reverse("renewals:upcoming"),
        "customers": customers,
    }


def _item(outlook: RenewalOutlook, base: str) -> dict:
    subscription = outlook.subscription
    after = outlook.after
    detail = reverse("subscriptions:detail", kwargs={"pk": subscription.pk})
    return {
        "product": subscription.product.name,
        "seats": outlook.current.seats,
        "period": _period(outlook.current),
        "bill": _bill(outlook.current),
        "reference": subscription.order.reference if subscription.order_id else "",
        "subscription_id": subscription.upstream_id,
        "adopted": subscription.order_id is None,
        "renews_on": date_format(outlook.renewal_date, "DATE_FORMAT"),
        "days_left": outlook.days_left,
        "auto_renew": AUTO_RENEW[outlook.renews],
        "product_after": after.product.name,
        "seats_after": after.seats,
        "period_after": _period(after),
        "bill_after": _bill(after),
        "changes": [_change(change) for change in outlook.changes],
        "url": f"{base}{detail}#renewal-heading",
    }


def _change(change: PlannedChange) -> dict:
    return {
        "reference": change.order.reference,
        "kind": change.kind,
        "words": change_words(change),
        "bill_before": _bill(change.before),
        "bill_after": _bill(change.after),
        "accepted": change.accepted,
    }


def change_words(change: PlannedChange) -> str:
    """Return what the change does, before → after: "5 → 3 seats", the plan, or the period."""
    before, after = change.before, change.after
    return terms_change_words(
        before=before.product,
        seats_before=before.seats,
        after=after.product,
        seats_after=after.seats,
    )


def _period(terms: Terms) -> str:
    return str(term_and_billing(terms.product.term, terms.product.billing_period))


def _bill(terms: Terms) -> str:
    product = terms.product
    return str(price_per_period(terms.bill, product.currency, product.billing_period))
