"""Keep subscriptions' renewal state in step with the marketplace, and change auto-renewal.

The marketplace renews a subscription by itself on its renewal date when
auto-renew is on (a renewal order, RN…), and lets it expire when it is off. A
renewal opens a new 7-day window in which Microsoft refunds the renewed seats
(upstream README §2.9), so a renewal seen here becomes a seat batch with that
window: the order page offers the return, and the cancellation reminders cover it.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from customers.models import Customer
from marketplace.exceptions import MarketplaceError
from marketplace.wording import is_busy, marketplace_failure_message
from orders import cause_words
from orders.lifecycle import Actor, order_record
from orders.models import SeatBatch, Subscription
from orders.pipeline.budget import budget_take, paused_until
from orders.pipeline.clients import pipeline_client
from orders.services.changes import actor_for
from orders.services.renewal_changes import scheduled_changes, scheduled_changes_apply
from orders.subscription_events import Kind as SubscriptionKind
from orders.subscription_events import subscription_record

logger = logging.getLogger(__name__)

#: Microsoft refunds a renewal, like a purchase, within 168 hours (upstream README §2.9).
CANCELLATION_WINDOW = timedelta(hours=168)
#: A customer is synced again after this long, or sooner when a renewal date has come.
SYNC_EVERY = timedelta(hours=12)


class RenewalChangeRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class SyncResult:
    updated: int = 0
    renewed: int = 0
    expired: int = 0


def customer_subscriptions_sync(*, customer: Customer, client, now=None) -> SyncResult:
    """Read the customer's subscriptions upstream and record renewals and expiries."""
    now = now or timezone.now()
    upstream = {
        s.id: s for s in client.list_subscriptions(customer_id=customer.upstream_customer_id)
    }
    result = SyncResult()
    local = Subscription.objects.filter(customer=customer, upstream_id__in=list(upstream))
    for subscription in local.select_related("order", "product"):
        row = upstream[subscription.upstream_id]
        detail = None
        if _renewed_on(subscription, row) is not None and scheduled_changes(subscription):
            # What the renewal applied (seats, plan) is only on the detail; read it before
            # the transaction.
            detail = client.get_subscription(subscription_id=subscription.upstream_id)
        _apply(subscription, row, now, result, detail=detail)
    return result


def _apply(subscription: Subscription, upstream, now, result: SyncResult, detail=None) -> None:
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        renewed_on = _renewed_on(subscription, upstream)
        if renewed_on is not None:
            if detail is not None:
                scheduled_changes_apply(
                    subscription=subscription,
                    seats=detail.quantity,
                    product=_product_of(detail),
                    renewed_on=renewed_on,
                    detail=detail,
                )
            _record_renewal(subscription, renewed_on)
            result.renewed += 1
        if upstream.status == "terminated" and subscription.status == "active":
            _note(
                subscription,
                "subscription_expired",
                actor=Actor.UPSTREAM,
                cause=(
                    f"{subscription.product.name} ({subscription.upstream_id}) ended on "
                    f"{upstream.expiration_date or 'its renewal date'} without renewing."
                ),
            )
            result.expired += 1
        known = subscription.auto_renew
        if known is not None and upstream.renewal_status not in (None, known):
            # Turned on or off at the marketplace, not here: say so, never overwrite silently.
            subscription_record(
                subscription,
                SubscriptionKind.CHANGED_OUTSIDE,
                actor=Actor.UPSTREAM,
                cause=(
                    f"{subscription.product.name} ({subscription.upstream_id}) changed outside "
                    f"this product: auto-renew from {known} to {upstream.renewal_status}."
                ),
                details={
                    "before": {"auto_renew": known},
                    "after": {"auto_renew": upstream.renewal_status},
                },
            )
        subscription.status = upstream.status or subscription.status
        subscription.auto_renew = upstream.renewal_status
        subscription.renewal_date = upstream.renewal_date
        subscription.synced_at = now
        subscription.save()
        result.updated += 1


def _renewed_on(subscription: Subscription, upstream):
    """Return the date of the renewal that happened since the last sync, or None."""
    known, current = subscription.renewal_date, upstream.renewal_date
    if known is None or current is None or current <= known:
        return None
    return known


def _product_of(detail):
    """Return the catalogue row the subscription's detail names, if the catalogue has it."""
    ids = [p.product_id for p in detail.products if p.product_id]
    return Product.objects.filter(upstream_id__in=ids).order_by("pk").first() if ids else None


def _record_renewal(subscription: Subscription, renewed_on) -> None:
    started = datetime.combine(renewed_on, datetime.min.time(), tzinfo=UTC)
    subscription.term_started_at = started
    subscription.cancellation_window_ends_at = started + CANCELLATION_WINDOW
    if subscription.order is not None:  # an adopted one has no order to return them through
        SeatBatch.objects.create(
            subscription=subscription,
            order=subscription.order,
            seats=subscription.seats,
            added_at=started,
            window_ends_at=started + CANCELLATION_WINDOW,
        )
    subscription_record(
        subscription,
        SubscriptionKind.RENEWED,
        actor=Actor.UPSTREAM,
        cause=cause_words.RENEWED_ON
        % {
            "day": f"{renewed_on:%Y-%m-%d}",
            "seats": subscription.seats,
            "product": subscription.product.name,
        },
        details={"renewed_on": renewed_on.isoformat(), "seats": subscription.seats},
    )
    _note(
        subscription,
        "subscription_renewed",
        actor=Actor.UPSTREAM,
        cause=(
            f"{subscription.product.name} ({subscription.upstream_id}) renewed for another term "
            f"on {renewed_on:%Y-%m-%d}: {subscription.seats} seats, refundable until "
            f"{subscription.cancellation_window_ends_at:%Y-%m-%d %H:%M} UTC."
        ),
    )


def renewals_sync_due(*, now=None) -> int:
    """Sync the customers whose renewal state may have moved, within each connection's budget."""
    now = now or timezone.now()
    due = (
        Subscription.objects.filter(status="active")
        .filter(_sync_due(now))
        .values_list("customer_id", flat=True)
        .distinct()
    )
    customers = Customer.objects.filter(pk__in=list(due)).exclude(upstream_customer_id="")
    synced = 0
    for customer in customers.select_related("reseller__connection"):
        connection_id = customer.reseller.connection_id
        if paused_until(connection_id) is not None or not budget_take(connection_id, 1):
            continue
        try:
            customer_subscriptions_sync(
                customer=customer, client=pipeline_client(customer.reseller), now=now
            )
        except MarketplaceError:
            logger.warning("Customer %s: subscription sync failed", customer.pk, exc_info=True)
            continue
        synced += 1
    return synced


def _sync_due(now) -> Q:
    return (
        Q(synced_at__isnull=True)
        | Q(synced_at__lt=now - SYNC_EVERY)
        | Q(renewal_date__lte=now.date(), synced_at__lt=now - timedelta(minutes=30))
    )


def subscription_set_auto_renew(*, subscription: Subscription, enabled: bool, user) -> None:
    """Turn auto-renewal on or off upstream, then here, and record who did it."""
    if subscription.status != "active":
        raise RenewalChangeRefused(_("Only an active subscription renews."))
    try:
        upstream = pipeline_client(subscription.customer.reseller).set_auto_renew(
            subscription_id=subscription.upstream_id, enabled=enabled
        )
    except MarketplaceError as error:
        if is_busy(error):
            raise RenewalChangeRefused(
                marketplace_failure_message(error, outcome=_("nothing changed"), next_step="")
            ) from error
        raise RenewalChangeRefused(
            _(
                "The marketplace did not accept the change (%(reason)s); nothing changed. "
                "Try again in a few minutes."
            )
            % {"reason": error.message}
        ) from error
    with transaction.atomic():
        Subscription.objects.filter(pk=subscription.pk).update(
            auto_renew=upstream.renewal_status if upstream.renewal_status is not None else enabled,
            renewal_date=upstream.renewal_date or subscription.renewal_date,
        )
        _note(
            subscription,
            "auto_renew_on" if enabled else "auto_renew_off",
            actor=actor_for(user),
            actor_user=user,
            cause=(cause_words.AUTO_RENEW_ON if enabled else cause_words.AUTO_RENEW_OFF)
            % {"product": subscription.product.name, "id": subscription.upstream_id},
        )


def _note(subscription: Subscription, action: str, *, actor: str, cause: str, actor_user=None):
    """Record ``action`` on the order that bought the subscription, or, for an adopted one
    (bought outside this product), on the subscription's own history."""
    if subscription.order is not None:
        order_record(subscription.order, action, actor=actor, cause=cause, actor_user=actor_user)
    else:
        subscription_record(subscription, action, actor=actor, cause=cause, actor_user=actor_user)
