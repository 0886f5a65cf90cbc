"""What a subscription page says about a subscription, in plain words."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from catalog.price_words import price_per_period, term_and_billing
from orders.models import Subscription


@dataclass(frozen=True)
class SubscriptionFacts:
    period: str
    tenant: str
    window_open: bool
    window_ends_at: datetime
    renewal_date: date | None
    auto_renew: str
    #: Per seat and billing period, in words ("12.50 USD per month"); "" when not recorded.
    price: str = ""
    cost: str = ""
    margin: str = ""


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
        **_prices(subscription),
    )


def _prices(subscription: Subscription) -> dict:
    """Our price, cost and margin of one seat, as the subscription holds them now."""
    product = subscription.product
    currency = subscription.currency or product.currency
    amounts = {
        "price": subscription.unit_price,
        "cost": subscription.unit_cost,
        "margin": subscription.unit_margin,
    }
    return {
        name: price_per_period(amount, currency, product.billing_period)
        for name, amount in amounts.items()
        if amount is not None
    }
