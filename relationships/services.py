"""Watch an order refused for lack of a reseller relationship; resume it once accepted.

Microsoft refuses an order for an existing tenant that has not accepted the
reseller relationship (Partner Center 20002). Instead of leaving the order
failed, the tracker looks at the tenant on a doubling schedule (from a couple of
minutes to a few hours), from the same per-connection request budget as polling,
and the moment the marketplace reports the relationship it resubmits the order
and tells the reseller. After a limit it stops, and says so.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from customers.models import Customer
from mail.services import email_send
from marketplace.exceptions import MarketplaceError, RateLimitError
from orders import parameters as names
from orders.lifecycle import Actor, order_record
from orders.models import Order
from orders.notifications import reseller_recipients
from orders.pipeline.budget import budget_take, pause_connection, paused_until
from orders.pipeline.clients import pipeline_client
from orders.services.changes import order_resubmit

from . import mail_kinds
from .conf import give_up_after, next_interval, setting
from .models import RelationshipWatch

logger = logging.getLogger(__name__)

#: While one worker checks a watch, others leave it alone for this long.
LEASE = timedelta(minutes=2)
State = RelationshipWatch.State


def order_tenant(order: Order) -> str:
    """Return the tenant the order names (domain or tenant id), else the customer's."""
    named = dict(
        order.parameters.filter(
            line=None, name__in=[names.MICROSOFT_DOMAIN, names.MICROSOFT_TENANT_ID]
        ).values_list("name", "value")
    )
    customer = order.customer
    return (
        named.get(names.MICROSOFT_DOMAIN)
        or named.get(names.MICROSOFT_TENANT_ID)
        or customer.tenant_domain
        or str(customer.tenant_id or "")
    )


def relationship_watch_start(order_id: int) -> RelationshipWatch | None:
    """Start (or restart) watching a failed order's tenant for the reseller relationship."""
    order = Order.objects.select_related("customer").get(pk=order_id)
    tenant = order_tenant(order)
    if order.status != Order.Status.FAILED or not tenant:
        return None
    now = timezone.now()
    with transaction.atomic():
        watch, created = RelationshipWatch.objects.select_for_update().get_or_create(
            order=order, defaults={"tenant": tenant, "started_at": now}
        )
        if not created and watch.state == State.WATCHING:
            return watch
        watch.state, watch.ended_at, watch.tenant = State.WATCHING, None, tenant
        watch.next_check_at = now + next_interval(0)
        watch.save()
        Customer.objects.filter(pk=order.customer_id).update(
            relationship=Customer.Relationship.REQUESTED
        )
        order_record(
            order,
            "relationship_watch",
            actor=Actor.SYSTEM,
            cause=(
                f"Waiting for {order.customer.company_name} to accept the reseller relationship "
                f"for {tenant}; the order is resubmitted by itself once they do."
            ),
        )
    return watch


def relationship_checks_due(*, now=None) -> int:
    """Check the watches that are due, within each connection's budget; return how many."""
    now = now or timezone.now()
    due = list(
        RelationshipWatch.objects.filter(state=State.WATCHING, next_check_at__lte=now)
        .select_related("order__reseller__connection", "order__customer")
        .order_by("next_check_at")[: int(setting("CHECKS_PER_RUN"))]
    )
    by_connection = defaultdict(list)
    for watch in due:
        by_connection[watch.order.reseller.connection_id].append(watch)
    checked = 0
    for connection_id, watches in by_connection.items():
        if paused_until(connection_id) is not None:
            continue
        for watch in watches[: budget_take(connection_id, len(watches))]:
            if _claim(watch, now):
                _check(watch, now)
                checked += 1
    return checked


def _claim(watch, now) -> bool:
    claimed = RelationshipWatch.objects.filter(
        pk=watch.pk, state=State.WATCHING, next_check_at=watch.next_check_at
    ).update(next_check_at=now + LEASE)
    return claimed == 1


def _check(watch: RelationshipWatch, now) -> None:
    order = watch.order
    if order.status != Order.Status.FAILED:
        _end(watch, now, State.RESUBMITTED, "", notify=False)
        return
    if now - watch.started_at >= give_up_after():
        _give_up(watch, now)
        return
    client = pipeline_client(order.reseller)
    try:
        result = client.check_tenant(
            tenant=watch.tenant, customer_id=order.customer.upstream_customer_id or None
        )
    except RateLimitError as exc:
        pause_connection(order.reseller.connection_id, exc.retry_after or 60)
        _schedule(watch, now, after=timedelta(seconds=exc.retry_after or 60))
        return
    except MarketplaceError:
        logger.warning("Order %s: relationship check failed", order.reference, exc_info=True)
        _schedule(watch, now, after=next_interval(watch.checks))
        return
    watch.checks += 1
    watch.last_checked_at = now
    if result.found and result.relationship:
        _accepted(watch, now)
    else:
        _schedule(watch, now, after=next_interval(watch.checks))


def _schedule(watch, now, *, after):
    watch.next_check_at = now + after
    watch.save(update_fields=["checks", "last_checked_at", "next_check_at"])


def _accepted(watch: RelationshipWatch, now) -> None:
    order = watch.order
    with transaction.atomic():
        Customer.objects.filter(pk=order.customer_id).update(
            relationship=Customer.Relationship.ACCEPTED
        )
        order_resubmit(
            order=order,
            user=None,
            cause=(
                f"{order.customer.company_name} accepted the reseller relationship for "
                f"{watch.tenant}: resubmitted by the relationship tracker."
            ),
        )
        _end(watch, now, State.ACCEPTED, "", notify=True)


def _give_up(watch: RelationshipWatch, now) -> None:
    days = int(give_up_after().total_seconds() // 86400)
    _end(
        watch,
        now,
        State.GAVE_UP,
        f"Stopped waiting for the reseller relationship after {days} days. Resubmit the order "
        "once the customer has accepted it, or place a new order for a new tenant.",
        notify=True,
    )


def _end(watch, now, state, cause, *, notify):
    watch.state, watch.ended_at, watch.next_check_at = state, now, None
    watch.save()
    if cause:
        order_record(watch.order, "relationship_watch_ended", actor=Actor.SYSTEM, cause=cause)
    if notify:
        transaction.on_commit(lambda: notify_reseller(watch.pk))


def notify_reseller(watch_id: int) -> None:
    """Tell the reseller's staff that the wait ended, and how."""
    watch = RelationshipWatch.objects.select_related(
        "order__customer", "order__reseller", "order__placed_by"
    ).get(pk=watch_id)
    email_send(
        key=mail_kinds.WATCH_ENDED,
        reseller=watch.order.reseller,
        recipients=reseller_recipients(watch.order),
        context=lambda: mail_kinds.watch_context(watch),
    )
