"""What a subscription page says about a subscription, in plain words."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from catalog.models import Period
from orders.models import Subscription
from rules.subscription import BILLING_WORDS


def term_and_billing(term: str, billing_period: str) -> str:
    """Return e.g. "3 years, billed annually" for ("P3Y", "P1Y")."""
    term_words = Period(term).label if term in Period.values else term
    return _("%(term)s, billed %(billing)s") % {
        "term": term_words,
        "billing": BILLING_WORDS.get(billing_period, billing_period),
    }


@dataclass(frozen=True)
class SubscriptionFacts:
    period: str
    tenant: str
    window_open: bool
    window_ends_at: datetime
    renewal_date: date | None
    auto_renew: str


def subscription_facts(subscription: Subscription, *, now: datetime) -> SubscriptionFacts:
    product = subscription.product
    auto_renew = {True: _("Yes"), False: _("No"), None: _("Not known yet")}[subscription.auto_renew]
    return SubscriptionFacts(
        period=term_and_billing(product.term, product.billing_period),
        tenant=subscription.tenant_domain or subscription.tenant_id,
        window_open=subscription.cancellation_window_ends_at > now,
        window_ends_at=subscription.cancellation_window_ends_at,
        renewal_date=subscription.renewal_date,
        auto_renew=auto_renew,
    )
