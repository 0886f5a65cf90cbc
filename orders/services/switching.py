"""Upgrades and term or billing changes: the switches a subscription's plan allows, quoted, placed.

The marketplace says what a plan may switch to (``GET /plans/{id}`` ``planSwitches``); each
switch is placed as a change order (``Order.plan_switch`` holds it) through the same pipeline
as a seat change. A switch the plan does not offer is refused here, before anything is sent;
an offered one is checked with the marketplace's estimate first, which is also its price.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from marketplace.exceptions import APIStatusError, MarketplaceError
from marketplace.wording import marketplace_failure_message
from pricing.selectors import PriceList, ResolvedPrice
from rules.subscription import PER_BILLING_PERIOD

from ..guidance import guidance_for
from ..models import Order, Subscription
from ..upstream_mapping import DRAFT_REFERENCE, selling_price_sent, switch_to_input
from .changes import OPEN_STATUSES, ChangeRefused, follow_up_place

UPGRADE = "UPGRADE"
PERIOD_CHANGE = "CHANGE_PLAN_PERIOD"
#: The marketplace's ``whenEffective`` of a switch that waits for the renewal.
AT_RENEWAL = "next_subscription_period"
#: Plans change rarely; their switches are kept this long per connection.
PLAN_CACHE_SECONDS = 3600

POLICY_WORDS = {
    "prorate_keeping_exp_date": _(
        "Charged now for the new plan's price less the current one, for the days left in "
        "this billing period; the renewal date stays the same."
    ),
    "prorate_starting_new_subscription_period": _(
        "A new term starts now: its first billing period is charged and the days left of "
        "the current one are refunded, prorated by day."
    ),
    "period_change": _(
        "Nothing is charged or refunded now; the bills after the change are at the new price."
    ),
    "prorate_refund": _("The unused days of the current plan are refunded, prorated by day."),
    "no_refund": _("Nothing of the current plan is refunded."),
}
WHEN_WORDS = {
    "immediately": _("Takes effect as soon as the marketplace completes the order."),
    "next_billing_period": _("Takes effect at the next billing date."),
    AT_RENEWAL: _(
        "Takes effect at the next renewal; until then nothing changes. It can be cancelled "
        "until the renewal."
    ),
}


@dataclass(frozen=True)
class SwitchOption:
    """One switch the marketplace offers for a subscription's plan, with its target product
    and what the reseller sells one seat of it for (its price book, for the subscription's
    customer)."""

    plan_id: str
    type: str
    product: Product
    billing_policy: str
    when_effective: str
    selling: ResolvedPrice

    @property
    def is_upgrade(self) -> bool:
        return self.type == UPGRADE

    @property
    def per_period(self) -> str:
        """What the selling price is for, e.g. "per month"."""
        period = self.product.billing_period
        return str(PER_BILLING_PERIOD.get(period, _("per billing period")))

    @property
    def cost_words(self) -> str:
        return str(POLICY_WORDS.get(self.billing_policy, _("The marketplace prices it.")))

    @property
    def when_words(self) -> str:
        return str(WHEN_WORDS.get(self.when_effective, _("The marketplace decides when.")))

    @property
    def at_renewal(self) -> bool:
        return self.when_effective == AT_RENEWAL

    def as_plan_switch(self, *, subscription: Subscription, seats: int) -> dict:
        """Return what ``Order.plan_switch`` keeps of this switch."""
        return {
            "plan_id": self.plan_id,
            "type": self.type,
            "billing_policy": self.billing_policy,
            "when_effective": self.when_effective,
            "source_product_id": subscription.product_id,
            "partial": seats < subscription.seats,
        }


@dataclass(frozen=True)
class SwitchQuote:
    """What a switch would do, for the reseller to confirm before it is placed."""

    subscription: Subscription
    option: SwitchOption
    seats: int
    amount: Decimal
    currency: str

    @property
    def is_partial(self) -> bool:
        return self.option.is_upgrade and self.seats < self.subscription.seats

    @property
    def is_refund(self) -> bool:
        return self.amount < 0

    @property
    def magnitude(self) -> Decimal:
        return abs(self.amount)

    @property
    def renewal_date(self) -> date | None:
        return self.subscription.renewal_date


def plan_switch_options(*, subscription: Subscription, client) -> list[SwitchOption]:
    """Return the switches the marketplace offers for the subscription's plan and period.

    Raises ``ChangeRefused`` when the marketplace cannot be asked. A target plan whose
    product the catalogue does not sell is left out (the catalogue sync adds it).
    """
    if subscription.status != "active":
        raise ChangeRefused(_("Only an active subscription can change its plan or term."))
    try:
        detail = client.get_subscription(subscription_id=subscription.upstream_id)
        plan = _plan(client, subscription, detail.plan_id)
        prices_now, prices_at_renewal = _price_lists(subscription)
        options = []
        for switch in plan.switches:
            target = _plan(client, subscription, switch.plan_id)
            product = _product_of(target, switch.subscription_period)
            if product is None:
                continue
            # A switch that waits for the renewal is billed from then: at that day's price.
            at_renewal = switch.when_effective == AT_RENEWAL
            prices = prices_at_renewal if at_renewal else prices_now
            options.append(
                SwitchOption(
                    plan_id=switch.plan_id,
                    type=PERIOD_CHANGE if product.mpn == subscription.product.mpn else UPGRADE,
                    product=product,
                    billing_policy=switch.billing_policy,
                    when_effective=switch.when_effective,
                    selling=prices(product),
                )
            )
    except MarketplaceError as error:
        raise ChangeRefused(
            marketplace_failure_message(
                error,
                outcome=str(_("the plans this subscription may switch to are not known")),
                next_step=str(_("Try again in a minute; nothing was sent.")),
            )
        ) from error
    return sorted(options, key=lambda o: (not o.is_upgrade, o.selling.price, o.product.name))


def _price_lists(subscription: Subscription) -> tuple[PriceList, PriceList]:
    """Return the customer's prices today and on the subscription's renewal date."""
    customer = subscription.customer
    now = PriceList(reseller=customer.reseller_id, customer=customer)
    if subscription.renewal_date is None or subscription.renewal_date == now.on:
        return now, now
    return now, PriceList(
        reseller=customer.reseller_id, customer=customer, on=subscription.renewal_date
    )


def plan_switch_check(*, subscription: Subscription, option: SwitchOption, seats: int) -> None:
    """Raise ChangeRefused, saying what is possible, if the switch cannot be placed."""
    if subscription.status != "active":
        raise ChangeRefused(_("Only an active subscription can change its plan or term."))
    if option.is_upgrade and not 1 <= seats <= subscription.seats:
        raise ChangeRefused(
            _("An upgrade moves 1 to %(seats)s seats; the others stay on the current plan.")
            % {"seats": subscription.seats}
        )
    if not option.is_upgrade and seats != subscription.seats:
        raise ChangeRefused(_("A term or billing change moves every seat of the subscription."))
    if Order.objects.filter(subscription=subscription, status__in=OPEN_STATUSES).exists():
        raise ChangeRefused(
            _("Another change to this subscription is still in progress; wait until it completes.")
        )


def plan_switch_quote(
    *, subscription: Subscription, plan_id: str, seats: int, client
) -> SwitchQuote:
    """Check the switch as ``plan_switch`` will and return the marketplace's estimate of it."""
    options = plan_switch_options(subscription=subscription, client=client)
    option = next((o for o in options if o.plan_id == str(plan_id)), None)
    if option is None:
        raise ChangeRefused(
            _(
                "The marketplace does not offer that switch for %(product)s; choose one of "
                "those listed. Nothing was sent."
            )
            % {"product": subscription.product.name}
        )
    plan_switch_check(subscription=subscription, option=option, seats=seats)
    order = switch_to_input(
        customer_id=subscription.customer.upstream_customer_id,
        subscription=subscription,
        switch=option.as_plan_switch(subscription=subscription, seats=seats),
        target=option.product,
        seats=seats,
        reference=DRAFT_REFERENCE,
        special_price=selling_price_sent(option.selling.price, option.product),
    )
    try:
        estimate = client.estimate_order(order=order)
    except APIStatusError as refusal:
        entry = guidance_for(refusal.message)
        raise ChangeRefused(
            _("The marketplace refused this change: %(message)s %(advice)s")
            % {"message": refusal.message, "advice": entry.advice}
        ) from refusal
    except MarketplaceError as error:
        raise ChangeRefused(
            marketplace_failure_message(
                error,
                outcome=str(_("this change is not confirmed")),
                next_step=str(_("Try again in a minute; nothing was sent.")),
            )
        ) from error
    total = estimate.total
    return SwitchQuote(
        subscription=subscription,
        option=option,
        seats=seats,
        amount=total.amount if total else Decimal(0),
        currency=total.currency if total else option.product.currency,
    )


def plan_switch(
    *, subscription: Subscription, plan_id: str, seats: int, user, client, channel=None
) -> Order:
    """Place the switch as a change order, after the same checks and estimate as its quote."""
    quote = plan_switch_quote(
        subscription=subscription, plan_id=plan_id, seats=seats, client=client
    )
    option = quote.option
    verb = _("Upgrade") if option.is_upgrade else _("Change term or billing of")
    return follow_up_place(
        order=subscription.order,
        subscription=subscription,
        product=option.product,
        quantity=seats,
        user=user,
        channel=channel or Order.Channel.WIZARD,
        total=quote.amount,
        resolved=option.selling,
        plan_switch=option.as_plan_switch(subscription=subscription, seats=seats),
        at_renewal=option.at_renewal,
        cause=f"{verb} {seats} seat(s) of subscription {subscription.upstream_id} to "
        f"{option.product.name} ({option.billing_policy}, {option.when_effective}).",
    )


def _plan(client, subscription: Subscription, plan_id: str):
    connection_id = subscription.customer.reseller.connection.pk
    key = f"marketplace-plan:{connection_id}:{plan_id}"
    plan = cache.get(key)
    if plan is None:
        plan = client.get_plan(plan_id=plan_id)
        cache.set(key, plan, PLAN_CACHE_SECONDS)
    return plan


def _product_of(plan, term: str | None) -> Product | None:
    """Return the catalogue row a plan sells: its name and periods (the spec links no MPN)."""
    return (
        Product.objects.active()
        .filter(name=plan.name, term=term or "", billing_period=plan.billing_period or "")
        .order_by("pk")
        .first()
    )
