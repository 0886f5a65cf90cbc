"""What happens to an order after it is placed: resubmission, cancellation, seat changes.

Cancellations and seat changes are orders of their own (kind ``cancellation``
or ``change``), placed here and sent through the same submit and poll path.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rules.subscription import PER_BILLING_PERIOD

from .. import cause_words, events
from ..dispatch import enqueue_submit
from ..lifecycle import Actor, TransitionRefused, order_transition
from ..models import Order, OrderEvent, OrderLine, Subscription
from ..reference import new_reference

OPEN_STATUSES = ("placed", "submitting", "submitted", "processing", "unknown")
#: Days in one billing period, for the prorated refund estimate (daily proration).
PERIOD_DAYS = {"P1M": 30, "P1Y": 365, "P3Y": 1095}
DETAILS_PENDING = (
    "Microsoft has provisioned this order; its subscriptions are still being read from the "
    "marketplace, usually within minutes. Cancel once they show on the order's page."
)


class ChangeRefused(Exception):
    """The change cannot be made; ``message`` tells the reseller why, and what is possible."""

    def __init__(self, message):
        message = str(message)  # a translated message is lazy until shown
        super().__init__(message)
        self.message = message


def actor_for(user) -> str:
    if user is None:
        return Actor.SYSTEM
    if user.is_superuser or user.role == user.Role.ADMIN:
        return Actor.ADMIN
    if user.role == user.Role.CUSTOMER_USER:
        return Actor.CUSTOMER
    if user.role == user.Role.SUPPORT:
        return Actor.SUPPORT
    return Actor.RESELLER


def order_resubmit(*, order: Order, user, cause: str = "") -> Order:
    """Send a failed order again once its cause is fixed: the same order, a new attempt."""
    try:
        order_transition(
            order,
            "resubmit",
            actor=actor_for(user),
            actor_user=user,
            cause=cause or f"Resubmitted after: {order.failure_message or 'a failure'}",
            changes={
                "failure_message": "",
                "failure_guidance": "",
                "next_attempt_at": None,
                "upstream_status": "",
                "upstream_status_code": "",
            },
        )
    except TransitionRefused as refused:
        raise ChangeRefused(
            _("Only a failed order can be resubmitted; this one is %(status)s.")
            % {"status": refused.order.get_status_display().lower()}
        ) from refused
    transaction.on_commit(lambda: enqueue_submit(order.pk))
    return order


@dataclass(frozen=True)
class CancellationQuote:
    subscription: Subscription
    time_left: timedelta
    refund_estimate: Decimal
    currency: str


def cancellation_quotes(order: Order, *, now=None) -> list[CancellationQuote]:
    """Return what cancelling ``order`` now would refund, per subscription still in its window."""
    now = now or timezone.now()
    quotes = []
    lines = {line.subscription_id: line for line in order.lines.exclude(subscription=None)}
    for subscription in order.subscriptions.filter(
        status="active", cancellation_window_ends_at__gt=now
    ).select_related("product"):
        line = lines.get(subscription.pk)
        unit_price = line.unit_price if line else subscription.product.price
        quotes.append(
            CancellationQuote(
                subscription=subscription,
                time_left=subscription.cancellation_window_ends_at - now,
                refund_estimate=refund_estimate(
                    unit_price * subscription.seats,
                    subscription.product.billing_period,
                    subscription.created_at,
                    now,
                ),
                currency=line.currency if line else subscription.product.currency,
            )
        )
    return quotes


def refund_estimate(charge: Decimal, billing_period: str, purchased_at, now) -> Decimal:
    """Return the charge less the days already used (Microsoft prorates daily)."""
    days = PERIOD_DAYS.get(billing_period, 30)
    used = max(0, (now - purchased_at).days + (1 if (now - purchased_at).seconds else 0))
    refund = charge * (Decimal(1) - Decimal(min(used, days)) / Decimal(days))
    return refund.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def order_cancel(*, order: Order, user, channel: str = Order.Channel.WIZARD) -> list[Order]:
    """Place a cancellation order for each subscription of ``order`` still in its window."""
    if order.status != Order.Status.COMPLETED or order.kind != Order.Kind.SALES:
        raise ChangeRefused(_("Only a completed purchase can be cancelled."))
    if order.details_pending:
        raise ChangeRefused(DETAILS_PENDING)
    quotes = cancellation_quotes(order)
    if not quotes:
        raise ChangeRefused(
            _(
                "The 7-day cancellation window of this order has closed: Microsoft no longer "
                "refunds it. Seats can be reduced at renewal."
            )
        )
    with transaction.atomic():
        try:
            order_transition(
                order,
                "request_cancellation",
                actor=actor_for(user),
                actor_user=user,
                cause=(
                    cause_words.CANCELLATION_REQUESTED_ONE
                    if len(quotes) == 1
                    else cause_words.CANCELLATION_REQUESTED_MANY % {"count": len(quotes)}
                ),
            )
        except TransitionRefused as refused:
            # Another request (a second click) got there first.
            raise ChangeRefused(
                _("Order %(reference)s is already %(status)s; nothing more was placed.")
                % {
                    "reference": order.reference,
                    "status": refused.order.get_status_display().lower(),
                }
            ) from refused
        follow_ups = [
            follow_up_place(
                order=order,
                subscription=quote.subscription,
                kind=Order.Kind.CANCELLATION,
                quantity=quote.subscription.seats,
                user=user,
                channel=channel,
                refund=quote.refund_estimate,
            )
            for quote in quotes
        ]
    return follow_ups


def adopted_cancellation_quote(*, subscription: Subscription, now=None) -> CancellationQuote:
    """Return what cancelling an adopted subscription (bought outside this product) refunds now.

    Raise ChangeRefused, saying why, once its 7-day window has closed or while it is not active.
    """
    now = now or timezone.now()
    if subscription.order_id is not None:
        raise ChangeRefused(_("A subscription ordered here is cancelled through its order."))
    if subscription.status != "active":
        raise ChangeRefused(_("Only an active subscription can be cancelled."))
    if subscription.cancellation_window_ends_at <= now:
        raise ChangeRefused(
            _(
                "The 7-day cancellation window of this subscription has closed: Microsoft no "
                "longer refunds it. Seats can be reduced at renewal."
            )
        )
    product = subscription.product
    return CancellationQuote(
        subscription=subscription,
        time_left=subscription.cancellation_window_ends_at - now,
        refund_estimate=refund_estimate(
            product.price * subscription.seats,
            product.billing_period,
            subscription.created_at,
            now,
        ),
        currency=product.currency,
    )


def adopted_subscription_cancel(*, subscription: Subscription, user) -> Order:
    """Place a cancellation order for an adopted subscription still in its 7-day window."""
    quote = adopted_cancellation_quote(subscription=subscription)
    if Order.objects.filter(subscription=subscription, status__in=OPEN_STATUSES).exists():
        raise ChangeRefused(
            _("Another change to this subscription is still in progress; wait until it completes.")
        )
    return follow_up_place(
        order=None,
        subscription=subscription,
        kind=Order.Kind.CANCELLATION,
        quantity=subscription.seats,
        user=user,
        channel=Order.Channel.WIZARD,
        refund=quote.refund_estimate,
    )


def removable_seats(subscription: Subscription, *, now=None) -> int:
    """Return how many seats may still be removed: those added less than 168 hours ago."""
    now = now or timezone.now()
    return sum(b.seats_left for b in subscription.batches.filter(window_ends_at__gt=now))


def seat_change_check(*, subscription: Subscription, new_total: int) -> None:
    """Raise ChangeRefused, saying what is possible, if ``new_total`` cannot be placed now."""
    product = subscription.product
    if subscription.status != "active":
        raise ChangeRefused(_("Only an active subscription can change its seats."))
    if new_total == subscription.seats:
        raise ChangeRefused(
            ngettext(
                "The subscription already has %(seats)s seat.",
                "The subscription already has %(seats)s seats.",
                new_total,
            )
            % {"seats": new_total}
        )
    if not product.minimum_quantity <= new_total <= product.maximum_quantity:
        raise ChangeRefused(
            _("%(product)s allows %(minimum)s to %(maximum)s seats.")
            % {
                "product": product.name,
                "minimum": product.minimum_quantity,
                "maximum": product.maximum_quantity,
            }
        )
    if new_total < subscription.seats:
        removable = removable_seats(subscription)
        if subscription.seats - new_total > removable:
            raise ChangeRefused(
                _(
                    "Only seats added in the last 7 days can be removed; %(removable)s can be "
                    "now, so the lowest possible total is %(lowest)s. Other reductions wait "
                    "until renewal."
                )
                % {"removable": removable, "lowest": subscription.seats - removable}
            )
    if Order.objects.filter(subscription=subscription, status__in=OPEN_STATUSES).exists():
        raise ChangeRefused(
            _("Another change to this subscription is still in progress; wait until it completes.")
        )


@dataclass(frozen=True)
class SeatChangeQuote:
    """What a seat change would do, for the reseller to confirm before it is placed."""

    subscription: Subscription
    seats_now: int
    new_total: int
    amount: Decimal
    currency: str

    @property
    def is_reduction(self) -> bool:
        return self.new_total < self.seats_now

    @property
    def seats_changed(self) -> int:
        return abs(self.new_total - self.seats_now)

    @property
    def per_period(self) -> str:
        """What an addition's charge is for, e.g. "per month"."""
        period = self.subscription.product.billing_period
        return PER_BILLING_PERIOD.get(period, _("per billing period"))


def seat_change_quote(*, subscription: Subscription, new_total: int, now=None) -> SeatChangeQuote:
    """Check the change as ``seat_change`` will, and return its estimated refund or charge."""
    seat_change_check(subscription=subscription, new_total=new_total)
    estimate = change_total_estimate(subscription, new_total, now=now)
    return SeatChangeQuote(
        subscription=subscription,
        seats_now=subscription.seats,
        new_total=new_total,
        amount=abs(estimate),
        currency=subscription.product.currency,
    )


def seat_change(*, subscription: Subscription, new_total: int, user) -> Order:
    """Place a change order setting ``subscription`` to ``new_total`` seats."""
    seat_change_check(subscription=subscription, new_total=new_total)
    return follow_up_place(
        order=subscription.order,
        subscription=subscription,
        kind=Order.Kind.CHANGE,
        quantity=new_total,
        user=user,
        channel=Order.Channel.WIZARD,
        total=change_total_estimate(subscription, new_total),
    )


def change_total_estimate(subscription: Subscription, new_total: int, *, now=None) -> Decimal:
    """Return what a seat change adds per billing period, or minus what a reduction refunds.

    Seats come off the newest batches first (as ``orders.pipeline.completion`` takes
    them), each refunded for the days it has not used.
    """
    now = now or timezone.now()
    product = subscription.product
    unit = subscription_unit_price(subscription)
    delta = new_total - subscription.seats
    if delta >= 0:
        return unit * delta
    to_remove, refund = -delta, Decimal(0)
    for batch in subscription.batches.filter(window_ends_at__gt=now).order_by("-added_at", "-pk"):
        taken = min(batch.seats_left, to_remove)
        refund += refund_estimate(unit * taken, product.billing_period, batch.added_at, now)
        to_remove -= taken
        if not to_remove:
            break
    return -refund


def subscription_unit_price(subscription: Subscription) -> Decimal:
    """The selling price its seats were sold at (the list price for one sold before price books)."""
    if subscription.unit_price is not None:
        return subscription.unit_price
    return subscription.product.price


def _kept_prices(subscription: Subscription) -> dict:
    """A follow-up order keeps the subscription's own prices, not today's price book."""
    if subscription.unit_price is None:
        return {}
    return {
        "unit_price": subscription.unit_price,
        "unit_cost": subscription.unit_cost,
        "price_source": "The subscription's price at purchase",
    }


def follow_up_place(
    *,
    order,
    subscription,
    quantity,
    user,
    channel,
    kind=Order.Kind.CHANGE,
    refund=None,
    total=None,
    product=None,
    plan_switch=None,
    at_renewal=False,
    cause="",
    resolved=None,
) -> Order:
    """Place one follow-up order; a cancellation carries its estimated refund as its total,
    a seat change what it adds per period (negative: the estimated refund of a reduction).

    A plan switch (``services.switching``) names its target ``product``, the seats that move
    as ``quantity``, the marketplace's estimate as ``total``, and as ``resolved`` the target's
    selling price from the reseller's price book (``pricing.selectors.ResolvedPrice``).
    """
    product = product or subscription.product
    # An adopted subscription (bought outside this product) has no order of ours to follow.
    customer = order.customer if order is not None else subscription.customer
    bought_by = order.reference if order is not None else "the adopted subscription"
    try:
        with transaction.atomic():
            follow_up = Order.objects.create(
                reference=new_reference(),
                idempotency_key=uuid.uuid4(),
                reseller=customer.reseller,
                customer=customer,
                placed_by=user,
                channel=channel,
                kind=kind,
                subscription=subscription,
                parent=order,
                po_number=order.po_number if order is not None else "",
                currency=product.currency,
                total=refund if refund is not None else (total or 0),
                plan_switch=plan_switch,
                at_renewal=at_renewal,
            )
            OrderLine.for_product(
                follow_up,
                product,
                quantity,
                subscription=subscription,
                resolved=resolved,
                **(_kept_prices(subscription) if product == subscription.product else {}),
            ).save()
            verb = "Cancel" if kind == Order.Kind.CANCELLATION else f"Set to {quantity} seats:"
            placed = OrderEvent.objects.create(
                order=follow_up,
                to_status=follow_up.status,
                action="place",
                cause=cause or f"{verb} subscription {subscription.upstream_id} of {bought_by}.",
                actor=actor_for(user),
                actor_user=user,
            )
            events.publish(placed)
            transaction.on_commit(lambda: enqueue_submit(follow_up.pk))
    except IntegrityError as exc:
        raise ChangeRefused(
            _("Another change to this subscription is still in progress; wait until it completes.")
        ) from exc
    return follow_up
