"""What happens at a subscription's next renewal, and which renewals are due a reminder.

A subscription with auto-renew on renews on its renewal date with its seats and plan, changed
by whatever waits for that renewal (``orders.services.renewal_changes``: a new seat count, a
switch to another plan, term or billing period). With auto-renew off it ends that day. The
bill is what the customer pays per billing period: the subscription's own price per seat (set
by the order that gave it its plan), a switch's at its line's price; an adopted subscription,
which has no price of ours yet, at the reseller's price book today.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch

from catalog.change_words import change_kind
from catalog.models import Product
from orders.models import Order, Subscription
from orders.services.changes import PERIOD_DAYS
from orders.services.renewal_changes import waiting_orders
from pricing.selectors import PriceList


def renewal_reminder_days() -> tuple[int, ...]:
    """Return the days before a renewal at which resellers are reminded, largest first."""
    return tuple(sorted(getattr(settings, "RENEWAL_REMINDER_DAYS", (30, 7)), reverse=True))


def thresholds_for(product: Product) -> tuple[int, ...]:
    """Return the reminder days that fit the product's term, largest first.

    A threshold as long as the term would remind the day after the last renewal (a monthly
    term, 30 days): such a subscription gets only the shorter reminders.
    """
    term_days = PERIOD_DAYS.get(product.term, 365)
    return tuple(days for days in renewal_reminder_days() if days < term_days)


def due_threshold(subscription: Subscription, today: date) -> int | None:
    """Return the smallest threshold (days) the time to the renewal has passed, or None."""
    if subscription.renewal_date is None:
        return None
    left = (subscription.renewal_date - today).days
    passed = [days for days in thresholds_for(subscription.product) if 0 < left <= days]
    return min(passed) if passed else None


@dataclass(frozen=True)
class Terms:
    """What a subscription is billed for in a term: seats of one product at a price per seat."""

    product: Product
    seats: int
    unit_price: Decimal

    @property
    def bill(self) -> Decimal:
        """The customer's bill per billing period."""
        return self.unit_price * self.seats


@dataclass(frozen=True)
class PlannedChange:
    """A change waiting for the renewal, and the terms before and after it."""

    order: Order
    before: Terms
    after: Terms

    @property
    def kind(self) -> str:
        """``seats``, ``plan`` (another product) or ``period`` (its term or billing)."""
        return change_kind(self.before.product, self.after.product)

    @property
    def accepted(self) -> bool:
        """Whether the marketplace has accepted it (until then it is being sent)."""
        return self.order.status == Order.Status.COMPLETED


@dataclass(frozen=True)
class RenewalOutlook:
    """What will happen at one subscription's next renewal, as things stand."""

    subscription: Subscription
    days_left: int
    #: The reminder this is (days before the renewal); None outside a reminder (a preview).
    threshold: int | None
    current: Terms
    changes: list[PlannedChange]

    @property
    def renewal_date(self) -> date:
        return self.subscription.renewal_date

    @property
    def renews(self) -> bool | None:
        """True: it renews; False: it ends (auto-renew off); None: not known yet."""
        return self.subscription.auto_renew

    @property
    def after(self) -> Terms:
        """The terms of the next term, once every waiting change applies."""
        return self.changes[-1].after if self.changes else self.current


def renewal_outlook(
    subscription: Subscription, *, today: date, threshold=None, price_lists=None
) -> RenewalOutlook:
    """Return what will happen at the subscription's next renewal.

    ``price_lists`` ({customer id: PriceList}) is shared by the outlooks of one run, so the
    price book is read once per customer, not once per adopted subscription.
    """
    current = Terms(
        product=subscription.product,
        seats=subscription.seats,
        unit_price=_unit_price(subscription, {} if price_lists is None else price_lists),
    )
    changes, terms = [], current
    for order in _waiting(subscription):
        line = order.lines.all()[0]
        # A switch moves its line's seats to its product at its price (a term or billing change
        # moves every seat); a seat change keeps the product and price, and sets the seats.
        if order.plan_switch:
            after = Terms(product=line.product, seats=line.quantity, unit_price=line.unit_price)
        else:
            after = Terms(product=terms.product, seats=line.quantity, unit_price=terms.unit_price)
        changes.append(PlannedChange(order=order, before=terms, after=after))
        terms = after
    return RenewalOutlook(
        subscription=subscription,
        days_left=(subscription.renewal_date - today).days,
        threshold=threshold,
        current=current,
        changes=changes,
    )


def _unit_price(subscription: Subscription, price_lists: dict) -> Decimal:
    if subscription.unit_price is not None:
        return subscription.unit_price
    customer = subscription.customer
    if customer.pk not in price_lists:
        price_lists[customer.pk] = PriceList(reseller=customer.reseller_id, customer=customer)
    return price_lists[customer.pk](subscription.product).price


def _waiting(subscription: Subscription) -> list[Order]:
    orders = getattr(subscription, "waiting_changes", None)
    if orders is None:
        orders = waiting_orders().filter(subscription=subscription)
    return list(orders)


def _renewing(today: date, until: date):
    return (
        Subscription.objects.filter(
            status="active", renewal_date__gt=today, renewal_date__lte=until
        )
        .select_related("product", "customer__reseller", "order")
        .prefetch_related(Prefetch("change_orders", waiting_orders(), to_attr="waiting_changes"))
        .order_by("renewal_date", "customer__company_name", "pk")
    )


def renewals_due(*, today: date, reseller=None) -> list[RenewalOutlook]:
    """Return the renewals a reminder is due for today (each with its threshold), soonest first.

    Ordered and adopted subscriptions alike; ``reseller`` narrows them to its customers'.
    """
    days = renewal_reminder_days()
    if not days:
        return []
    subscriptions = _renewing(today, today + timedelta(days=max(days)))
    if reseller is not None:
        subscriptions = subscriptions.filter(customer__reseller=reseller)
    due, price_lists = [], {}
    for subscription in subscriptions:
        threshold = due_threshold(subscription, today)
        if threshold is not None:
            outlook = renewal_outlook(
                subscription, today=today, threshold=threshold, price_lists=price_lists
            )
            due.append(outlook)
    return due


def renewals_coming(*, today: date, reseller, limit: int = 3) -> list[RenewalOutlook]:
    """Return the reseller's next ``limit`` renewals, however far off (for a preview)."""
    subscriptions = _renewing(today, date.max).filter(customer__reseller=reseller)[:limit]
    price_lists = {}
    return [
        renewal_outlook(subscription, today=today, price_lists=price_lists)
        for subscription in subscriptions
    ]
