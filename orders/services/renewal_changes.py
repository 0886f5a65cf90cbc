"""Changes scheduled for a subscription's next renewal: placed, cancelled, applied.

A new seat count for the next term (the only way to reduce seats after the 7-day window,
README §2.9) is a change order sent with ``scheduledOn: renewal``: the marketplace accepts it
now and applies it when the subscription renews. A switch effective at the next term (a
shorter term) is placed the same way by ``services.switching``. Until the renewal either can
be cancelled (``PATCH /orders/{id}`` ``statusCode: CL``). The renewals sync sees the renewal
and records what it applied (``scheduled_changes_apply``).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.change_words import terms_change_words
from marketplace.exceptions import MarketplaceError
from marketplace.wording import marketplace_failure_message

from .. import cause_words
from ..lifecycle import Actor, TransitionRefused, order_transition
from ..models import Order, Subscription
from ..subscription_events import Kind, subscription_record
from ..subscription_prices import prices_from_line, prices_set, terms_recorded
from .changes import OPEN_STATUSES, ChangeRefused, actor_for, follow_up_place


@dataclass(frozen=True)
class ScheduledChange:
    """A change waiting for the renewal, with its effect on the renewal's bill."""

    order: Order
    subscription: Subscription

    @property
    def line(self):
        return self.order.lines.all()[0]

    @property
    def words(self) -> str:
        """What the renewal will change: "3 → 2 seats", the plan, or the term and billing."""
        line = self.line
        # A switch moves its line's seats to its product; a seat change keeps the product.
        after = line.product if self.order.plan_switch else self.subscription.product
        return terms_change_words(
            before=self.subscription.product,
            seats_before=self.subscription.seats,
            after=after,
            seats_after=line.quantity,
        )

    @property
    def bill_change(self) -> Decimal:
        """What the renewal's bill changes by, per billing period (negative: less)."""
        line = self.order.lines.all()[0]
        now = self.subscription.product.price * self.subscription.seats
        return line.product.price * line.quantity - now

    @property
    def bill_change_size(self) -> Decimal:
        """How much the renewal's bill changes by, up or down (``bill_change`` says which)."""
        return abs(self.bill_change)


def waiting_orders():
    """Return the change orders waiting for a renewal (for a ``Prefetch`` of many)."""
    return (
        Order.objects.filter(at_renewal=True, applied_at=None)
        .exclude(status__in=[Order.Status.FAILED, Order.Status.CANCELLED])
        .prefetch_related("lines__product")
        .order_by("placed_at")
    )


def scheduled_changes(subscription: Subscription) -> list[ScheduledChange]:
    """Return the changes placed here that wait for the subscription's next renewal."""
    orders = getattr(subscription, "waiting_changes", None)
    if orders is None:
        orders = waiting_orders().filter(subscription=subscription)
    return [ScheduledChange(order=o, subscription=subscription) for o in orders]


def renewal_change_schedule(*, subscription: Subscription, new_total: int, user) -> Order:
    """Place a change order setting the seats of the subscription's next term to ``new_total``."""
    renewal_change_check(subscription=subscription, new_total=new_total)
    return follow_up_place(
        order=subscription.order,
        subscription=subscription,
        quantity=new_total,
        user=user,
        channel=Order.Channel.WIZARD,
        total=subscription.product.price * (new_total - subscription.seats),
        at_renewal=True,
        cause=cause_words.RENEWAL_SEATS_SCHEDULED
        % {
            "day": f"{subscription.renewal_date:%Y-%m-%d}",
            "id": subscription.upstream_id,
            "seats": new_total,
            "before": subscription.seats,
        },
    )


def renewal_change_check(*, subscription: Subscription, new_total: int) -> None:
    """Raise ChangeRefused, saying what is possible, if the next term cannot have these seats."""
    product = subscription.product
    if subscription.status != "active" or subscription.renewal_date is None:
        raise ChangeRefused(_("Only an active subscription with a known renewal date renews."))
    if subscription.auto_renew is False:
        raise ChangeRefused(
            _("This subscription will not renew: turn auto-renew on to change its next term.")
        )
    if not product.minimum_quantity <= new_total <= product.maximum_quantity:
        raise ChangeRefused(
            _("%(name)s allows %(min)s to %(max)s seats.")
            % {
                "name": product.name,
                "min": product.minimum_quantity,
                "max": product.maximum_quantity,
            }
        )
    if new_total == subscription.seats:
        raise ChangeRefused(
            _("The subscription already renews with %(seats)s seats.") % {"seats": new_total}
        )
    if scheduled_changes(subscription):
        raise ChangeRefused(
            _("A change is already scheduled for this renewal; cancel it first to make another.")
        )
    if Order.objects.filter(subscription=subscription, status__in=OPEN_STATUSES).exists():
        raise ChangeRefused(
            _("Another change to this subscription is still in progress; wait until it completes.")
        )


def scheduled_change_cancel(*, order: Order, user, client) -> Order:
    """Cancel a change scheduled for the renewal, upstream first, then here."""
    if not order.at_renewal or order.applied_at is not None:
        raise ChangeRefused(_("Only a change still waiting for the renewal can be cancelled."))
    if order.status == Order.Status.CANCELLED:
        raise ChangeRefused(_("This change is already cancelled."))
    if order.status != Order.Status.COMPLETED or not order.upstream_order_id:
        raise ChangeRefused(
            _("The marketplace has not accepted this change yet; cancel it once it has.")
        )
    renewal = order.subscription.renewal_date
    if renewal is not None and renewal <= timezone.localdate():
        raise ChangeRefused(_("The renewal has come: the change has been applied."))
    try:
        client.cancel_order(order_id=order.upstream_order_id)
    except MarketplaceError as error:
        raise ChangeRefused(
            marketplace_failure_message(
                error,
                outcome=str(_("the change is still scheduled")),
                next_step=str(_("Try again in a minute.")),
            )
        ) from error
    cause = cause_words.SCHEDULED_CHANGE_CANCELLED
    try:
        with transaction.atomic():
            order_transition(
                order, "request_cancellation", actor=actor_for(user), actor_user=user, cause=cause
            )
            order_transition(
                order,
                "confirm_cancellation",
                actor=Actor.UPSTREAM,
                cause=cause_words.MARKETPLACE_CANCELLED_SCHEDULED,
            )
    except TransitionRefused as refused:
        raise ChangeRefused(
            _("This change is already %(status)s.")
            % {"status": refused.order.get_status_display().lower()}
        ) from refused
    return order


def scheduled_changes_apply(
    *, subscription: Subscription, seats, product, renewed_on, detail=None
) -> None:
    """Record what the renewal applied: the seats and product the marketplace now states.

    A plan, term or billing switch also brings its line's prices (the marketplace's from its
    ``detail``, the subscription read at the renewal). Runs in the renewals sync's
    transaction, with the subscription locked.
    """
    waiting = scheduled_changes(subscription)
    before = terms_recorded(subscription)
    if seats is not None:
        subscription.seats = seats
    if product is not None:
        subscription.product = product
    switches = [change for change in waiting if change.order.plan_switch]
    if switches and subscription.product == switches[-1].line.product:
        prices_set(subscription, prices_from_line(switches[-1].line, detail))
    after = terms_recorded(subscription)
    # It took effect at the renewal (the bill counts from that day), not when the sync saw it.
    applied = datetime.combine(renewed_on, time.min, tzinfo=UTC)
    for change in waiting:
        Order.objects.filter(pk=change.order.pk).update(applied_at=applied)
        subscription_record(
            subscription,
            Kind.SCHEDULED_CHANGE_APPLIED,
            actor=Actor.UPSTREAM,
            cause=cause_words.SCHEDULED_CHANGE_APPLIED
            % {
                "day": f"{renewed_on:%Y-%m-%d}",
                "reference": change.order.reference,
                "before": before["seats"],
                "after": after["seats"],
                "product": after["product"],
            },
            details={"order": change.order.reference, "before": before, "after": after},
        )
