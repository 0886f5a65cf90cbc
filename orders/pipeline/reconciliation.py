"""Find out whether an order whose send was ambiguous exists upstream.

The marketplace has no idempotency key; our reference travels in the
poNumber. Found: the order is adopted as submitted. Not found, once the
settling period has passed (long enough for a slow POST to have landed):
nothing was created, and the order goes back to ``placed`` to be sent again.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from marketplace.exceptions import MarketplaceError, RateLimitError

from ..dispatch import enqueue_reconcile, enqueue_submit
from ..lifecycle import Actor, TransitionRefused, order_transition
from ..models import Order
from .budget import pause_connection
from .clients import pipeline_client
from .conf import countdown, seconds, setting
from .exchanges import recorded
from .submission import _accepted

logger = logging.getLogger(__name__)

#: Look only at upstream orders created from a little before our first send.
CLOCK_SKEW = timedelta(minutes=10)


def order_reconcile(order_id: int, *, actor=Actor.WORKER, actor_user=None) -> None:
    """Look the order up upstream by its reference and settle its state."""
    order = (
        Order.objects.select_related("customer", "reseller__connection")
        .filter(pk=order_id, status=Order.Status.UNKNOWN)
        .first()
    )
    if order is None:
        return
    interval = float(setting("RECONCILE_INTERVAL_SECONDS"))
    client = pipeline_client(order.reseller)
    try:
        with recorded(
            order,
            "find_order_by_reference",
            "GET",
            f"orders?customerId={order.customer.upstream_customer_id}",
            {"reference": order.reference},
        ) as exchange:
            found = client.find_order_by_reference(
                customer_id=order.customer.upstream_customer_id,
                reference=order.reference,
                created_after=order.placed_at - CLOCK_SKEW,
            )
            exchange.answered(found)
    except MarketplaceError as exc:
        if isinstance(exc, RateLimitError) and exc.retry_after:
            pause_connection(order.reseller.connection_id, exc.retry_after)
            interval = max(interval, exc.retry_after)
        logger.warning("Order %s: reconciliation lookup failed: %s", order.reference, exc)
        _check_again(order, interval)
        return
    if found is not None:
        _accepted(
            order,
            found,
            actor=actor,
            cause=(
                f"Found upstream as {found.order_number or found.id} after the answer to our "
                "request was lost; adopted it instead of sending it again."
            ),
        )
        return
    unknown_since = order.unknown_since or order.claimed_at or order.placed_at
    if timezone.now() - unknown_since < seconds("RECONCILE_SETTLE_SECONDS"):
        _check_again(order, interval)
        return
    try:
        order_transition(
            order,
            "release",
            actor=actor,
            actor_user=actor_user,
            cause=(
                f"Not found upstream {round((timezone.now() - unknown_since).total_seconds())} s "
                "after the uncertain send: it was never created. Sending it again."
            ),
            changes={"unknown_since": None, "next_attempt_at": None},
        )
    except TransitionRefused:
        return
    transaction.on_commit(lambda: enqueue_submit(order.pk))


def _check_again(order: Order, interval: float) -> None:
    Order.objects.filter(pk=order.pk, status=Order.Status.UNKNOWN).update(
        next_attempt_at=timezone.now() + timedelta(seconds=interval)
    )
    transaction.on_commit(lambda: enqueue_reconcile(order.pk, countdown=countdown(interval)))
