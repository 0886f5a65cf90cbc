"""Orders a customer's list poll found finished: recorded from their list rows at once, their
details read afterwards, as the request budget allows.

A list row says an order completed, failed or was cancelled, but not which subscriptions it
created: only the order's detail does, one request each. With thousands of orders finishing
together, reading every detail first would hold every completion back behind the budget
(10,000 orders at 80 % of 6,000 requests a minute: two minutes of reads, four for new
tenants, whose subscription detail is read too). So the state is recorded from the row
(``finished_orders_record``) and the order marked ``details_pending``; the beat hands the
pending orders out in batches (``polling.due_orders_claim``) and ``order_details_read``
records their subscriptions, checks the reference and the refund, and sends the e-mail.
"""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from marketplace.exceptions import MarketplaceError, RateLimitError

from ..models import Order
from .budget import budget_take, pause_connection
from .clients import pipeline_client
from .completion import details_reads, record_completion_seen, record_details
from .conf import retry_delay
from .exchanges import exchanges_batched
from .listing import ListedFinish, completion_handed_back
from .poll_claims import poll_claims
from .polling import POLLED_STATUSES, answer_check, order_detail_read, record_failure

logger = logging.getLogger(__name__)

#: A batch whose subscription reads the budget cannot pay this minute waits this long.
BUDGET_WAIT_SECONDS = 5.0


def finished_orders_record(messages: list) -> None:
    """Record the orders a list poll found finished, from what their rows said; no request."""
    listed = dict(ListedFinish.from_message(item) for item in messages)
    try:
        orders = (
            Order.objects.select_related(
                "customer", "reseller__connection", "parent", "subscription"
            )
            .filter(pk__in=listed, status__in=POLLED_STATUSES)
            .order_by("pk")
        )
        customers = {}
        for order in orders:
            order.customer = customers.setdefault(order.customer_id, order.customer)
            finish = listed[order.pk]
            if finish.status == "completed":
                record_completion_seen(order, finish)
            else:
                record_failure(order, finish)
        # Due together, so that the beat hands their details out in as few batches (one
        # subscription list each) as it can.
        Order.objects.filter(pk__in=listed, details_pending=True).update(
            next_poll_at=timezone.now()
        )
    finally:
        completion_handed_back(list(listed))


def order_details_read(order_ids: list[int]) -> None:
    """Read the detail of one customer's orders completed before it, and record what it says."""
    # Every call's exchange row is written in one INSERT at the end of the batch.
    with poll_claims(order_ids) as claimed, exchanges_batched():
        orders = list(
            Order.objects.select_related(
                "customer", "reseller__connection", "parent", "subscription"
            )
            .prefetch_related("parameters", "lines__product")
            .filter(pk__in=claimed, details_pending=True)
            .exclude(upstream_order_id="")
            .order_by("pk")
        )
        if not orders:
            return
        connection_id = orders[0].reseller.connection_id
        # The beat paid for each order's detail; the subscriptions are paid before any read,
        # all or nothing: a batch that read its details and then could not afford the rest
        # would read them all again later.
        further = details_reads(
            [(o, len(o.lines.all())) for o in orders if o.kind == Order.Kind.SALES]
        )
        if further and budget_take(connection_id, further, whole=True) < further:
            _later(orders, BUDGET_WAIT_SECONDS)
            return
        client = pipeline_client(orders[0].reseller)
        read = []
        for index, order in enumerate(orders):
            try:
                upstream = order_detail_read(order, client)
            except RateLimitError as exc:
                delay = retry_delay(order.poll_count, exc.retry_after)
                pause_connection(connection_id, delay)
                _later(orders[index:], delay)
                break
            except MarketplaceError as exc:
                logger.warning("Order %s: reading its detail failed: %s", order.reference, exc)
                _later([order], retry_delay(order.poll_count + 1))
                continue
            if upstream.status != "completed":
                # The list said completed; the detail does not (yet): look again later.
                logger.warning(
                    "Order %s: listed completed, but its detail says %s",
                    order.reference,
                    upstream.status,
                )
                _later([order], retry_delay(order.poll_count + 1))
                continue
            answer_check(order, upstream)
            read.append((order, upstream))
        _details_record(read, client, connection_id)


def _details_record(read: list, client, connection_id) -> None:
    if not read:
        return
    orders = [order for order, _ in read]
    try:
        record_details(read, client)
    except DatabaseError:
        logger.warning("Recording a batch of order details failed", exc_info=True)
        _later(orders, retry_delay(1))
    except RateLimitError as exc:
        delay = retry_delay(1, exc.retry_after)
        pause_connection(connection_id, delay)
        _later(orders, delay)
    except MarketplaceError:
        _later(orders, retry_delay(max(o.poll_count for o in orders) + 1))


def _later(orders: list, delay: float) -> None:
    """Read these orders' details again in ``delay`` seconds (those still pending)."""
    Order.objects.filter(pk__in=[o.pk for o in orders], details_pending=True).update(
        next_poll_at=timezone.now() + timedelta(seconds=delay), poll_count=F("poll_count") + 1
    )
