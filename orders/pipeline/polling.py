"""Follow submitted orders until the marketplace completes or fails them.

The schedule is in the database: each open order has a ``next_poll_at`` that
backs off with its age. The beat task takes the due orders in batches (rows
locked with SKIP LOCKED, then leased by moving ``next_poll_at`` forward), as
many as the connection's request budget allows this minute, and hands each id
to a poll task (a crowded customer to a list poll); completed orders whose detail
is still to be read (``details_pending``) go out in batches to ``finishing``.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from marketplace.exceptions import MarketplaceError, RateLimitError

from .. import cause_words
from ..dispatch import (
    enqueue_customer_poll,
    enqueue_details_read,
    enqueue_poll,
)
from ..error_catalogue import stored_words
from ..guidance import PROVISIONING_FAILED
from ..lifecycle import Actor, TransitionRefused, order_record, order_transition
from ..models import Order
from ..observe import order_observe
from ..refunds import order_refund_record
from .budget import budget_take, pause_connection, paused_until
from .clients import pipeline_client
from .completion import record_completion
from .conf import poll_delay, retry_delay, setting
from .exchanges import recorded
from .poll_claims import poll_claim
from .reference_echo import reference_echo_check

logger = logging.getLogger(__name__)

POLLED_STATUSES = (Order.Status.SUBMITTED, Order.Status.PROCESSING)


@dataclass
class DuePolls:
    order_ids: list = field(default_factory=list)
    #: Customers with so many orders in flight that one list request beats one poll each.
    customer_ids: list = field(default_factory=list)
    #: Orders completed before their detail was read (``details_pending``), one customer's
    #: per batch: ``finishing.order_details_read`` reads and records them.
    detail_batches: list = field(default_factory=list)


def due_orders_claim(*, limit: int | None = None) -> DuePolls:
    """Lease the orders due for a poll, within each connection's request budget."""
    limit = limit or int(setting("POLL_BATCH_SIZE"))
    threshold = int(setting("POLL_LIST_THRESHOLD"))
    now = timezone.now()
    due_polls = DuePolls()
    with transaction.atomic():
        by_connection = _due_locked(
            Order.objects.filter(status__in=POLLED_STATUSES, next_poll_at__lte=now), limit
        )
        leased = []
        for connection_id, by_customer in by_connection.items():
            if paused_until(connection_id) is not None:
                continue
            crowded = [c for c, ids in by_customer.items() if len(ids) >= threshold]
            singles = [pk for ids in by_customer.values() if len(ids) < threshold for pk in ids]
            granted = budget_take(connection_id, len(crowded) + len(singles))
            for customer_id in crowded[:granted]:
                due_polls.customer_ids.append(customer_id)
                leased += by_customer[customer_id]
            due_polls.order_ids += singles[: max(0, granted - len(crowded))]
        leased += due_polls.order_ids
        leased += _due_details_claim(now, limit, due_polls)
        Order.objects.filter(pk__in=leased).update(
            next_poll_at=now + timedelta(seconds=float(setting("POLL_LEASE_SECONDS")))
        )
    return due_polls


def _due_details_claim(now, limit: int, due_polls: DuePolls) -> list[int]:
    """Add to ``due_polls`` the completed orders whose detail is due; return their ids.

    Each is granted one request (its detail); what its subscriptions cost is taken by the
    batch before it reads anything. Orders still in flight come first in the budget.
    """
    by_connection = _due_locked(
        Order.objects.filter(details_pending=True, next_poll_at__lte=now), limit
    )
    size = int(setting("POLL_COMPLETION_BATCH"))
    leased = []
    for connection_id, by_customer in by_connection.items():
        if paused_until(connection_id) is not None:
            continue
        granted = budget_take(connection_id, sum(len(ids) for ids in by_customer.values()))
        for ids in by_customer.values():
            taken, granted = ids[:granted], granted - len(ids[:granted])
            due_polls.detail_batches += [taken[i : i + size] for i in range(0, len(taken), size)]
            leased += taken
    return leased


def _due_locked(due, limit: int) -> dict:
    """Lock the first ``limit`` of ``due``, soonest due first, skipping rows another worker
    holds; return their ids by connection and customer."""
    due = due.order_by("next_poll_at")
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True, of=("self",))
    by_connection = defaultdict(lambda: defaultdict(list))
    for pk, connection_id, customer_id in due.values_list(
        "pk", "reseller__connection_id", "customer_id"
    )[:limit]:
        by_connection[connection_id][customer_id].append(pk)
    return by_connection


def poll_due_orders() -> int:
    due = due_orders_claim()
    for order_id in due.order_ids:
        transaction.on_commit(lambda pk=order_id: enqueue_poll(pk))
    for customer_id in due.customer_ids:
        transaction.on_commit(lambda pk=customer_id: enqueue_customer_poll(pk))
    for batch in due.detail_batches:
        transaction.on_commit(lambda ids=batch: enqueue_details_read(ids))
    return len(due.order_ids) + len(due.customer_ids) + len(due.detail_batches)


def order_poll(order_id: int, *, actor=Actor.WORKER, actor_user=None) -> None:
    """Ask the marketplace where the order stands and record any change, unless another
    worker is polling the same order right now."""
    with poll_claim(order_id) as claimed:
        if claimed:
            _order_poll(order_id, actor=actor, actor_user=actor_user)


def _order_poll(order_id: int, *, actor, actor_user) -> None:
    order = (
        Order.objects.select_related("customer", "reseller__connection", "parent", "subscription")
        .filter(pk=order_id, status__in=POLLED_STATUSES)
        .first()
    )
    if order is None or not order.upstream_order_id:
        return
    order_observe(order)
    client = pipeline_client(order.reseller)
    try:
        upstream = order_detail_read(order, client)
        _apply(order, upstream, client, actor=actor, actor_user=actor_user)
    except RateLimitError as exc:
        delay = retry_delay(order.poll_count, exc.retry_after)
        pause_connection(order.reseller.connection_id, delay)
        _schedule(order, delay)
    except MarketplaceError as exc:
        logger.warning("Order %s: poll failed: %s", order.reference, exc)
        _schedule(order, retry_delay(order.poll_count + 1))


def order_detail_read(order: Order, client):
    """Read the order's detail upstream (``GET /orders/{id}``), kept in its exchanges."""
    with recorded(order, "get_order", "GET", f"orders/{order.upstream_order_id}"):
        return client.get_order(order_id=order.upstream_order_id)


def answer_check(order: Order, upstream) -> None:
    """What every order detail read is checked for: our reference kept, a refund stated."""
    reference_echo_check(order, upstream)
    order_refund_record(order, upstream)


def _apply(order: Order, upstream, client, *, actor, actor_user) -> None:
    answer_check(order, upstream)
    code_changed = (upstream.status, upstream.status_code) != (
        order.upstream_status,
        order.upstream_status_code,
    )
    fields = {"upstream_status": upstream.status, "upstream_status_code": upstream.status_code}
    if upstream.status == "completed":
        record_completion(order, upstream, client, actor=actor, actor_user=actor_user)
        return
    if upstream.status in ("error", "cancelled"):
        record_failure(order, upstream)
        return
    if upstream.status == "processing" and order.status == Order.Status.SUBMITTED:
        try:
            order_transition(
                order,
                "start_processing",
                actor=Actor.UPSTREAM,
                cause=cause_words.PROVISIONING % {"code": upstream.status_code or "AS"},
                changes=fields,
            )
        except TransitionRefused:
            return
    elif code_changed:
        Order.objects.filter(pk=order.pk).update(**fields)
        order_record(
            order,
            "upstream_status",
            actor=Actor.UPSTREAM,
            cause=cause_words.UPSTREAM_STATUS
            % {"status": upstream.status, "code": upstream.status_code or "-"},
        )
    elif actor != Actor.WORKER:
        order_record(
            order,
            "repoll",
            actor=actor,
            actor_user=actor_user,
            cause=cause_words.NOTHING_CHANGED,
        )
    _schedule(order, poll_delay(_age_seconds(order)))


def record_failure(order: Order, upstream) -> None:
    """Record that the marketplace failed or cancelled the order (``upstream``: its detail or
    its list row), and tell the reseller."""
    reason = (
        "The marketplace cancelled the order."
        if upstream.status == "cancelled"
        else "The marketplace could not provision the order "
        f"(status {upstream.status}, {upstream.status_code or 'no code'})."
    )
    try:
        order_transition(
            order,
            "fail",
            actor=Actor.UPSTREAM,
            cause=reason,
            changes={
                "upstream_status": upstream.status,
                "upstream_status_code": upstream.status_code,
                "failure_message": reason,
                "failure_guidance": stored_words(PROVISIONING_FAILED.advice),
                "next_poll_at": None,
            },
        )
    except TransitionRefused:
        return
    _after_follow_up_failed(order)


def _after_follow_up_failed(order: Order) -> None:
    """A failed cancellation leaves the original order's subscriptions as they were."""
    parent = order.parent
    if order.kind == Order.Kind.CANCELLATION and parent and parent.status == "cancel_requested":
        try:
            order_transition(
                parent,
                "refuse_cancellation",
                actor=Actor.UPSTREAM,
                cause=cause_words.CANCELLATION_FAILED % {"reference": order.reference},
            )
        except TransitionRefused:
            pass


def _schedule(order: Order, delay: float) -> None:
    Order.objects.filter(pk=order.pk, status__in=POLLED_STATUSES).update(
        next_poll_at=timezone.now() + timedelta(seconds=delay), poll_count=order.poll_count + 1
    )


def _age_seconds(order: Order) -> float:
    started = order.submitted_at or order.placed_at
    return (timezone.now() - started).total_seconds()
