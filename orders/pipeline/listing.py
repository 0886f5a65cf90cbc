"""Poll a customer's many in-flight orders with list requests instead of one request each.

``GET /orders?customerId=…&status=completed`` answers up to 500 orders per
request, newest first. Paging stops at the oldest order still in flight. The
orders found finished are recorded from their rows in batches, with no further
request (``finishing.finished_orders_record``); the details of the completed ones
are read afterwards, as the budget allows. The others wait for their next turn on
the age-based schedule.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from customers.models import Customer
from marketplace.constants import MAX_PAGE_LIMIT
from marketplace.exceptions import MarketplaceError, RateLimitError

from ..dispatch import enqueue_finished_record
from ..models import Order
from .budget import budget_take, pause_connection
from .clients import pipeline_client
from .conf import poll_delay, retry_delay, setting

logger = logging.getLogger(__name__)

POLLED_STATUSES = (Order.Status.SUBMITTED, Order.Status.PROCESSING)
FINISHED_UPSTREAM = ("completed", "error", "cancelled")
CLOCK_SKEW = timedelta(minutes=10)
#: Orders rescheduled by one UPDATE statement.
SCHEDULE_BATCH = 1000
#: How long orders handed to a completion batch are left out of the customer's list polls.
COMPLETION_LEASE_SECONDS = 20.0
HANDED_KEY = "orders:completion-handed:{}"


@dataclass(frozen=True)
class ListedFinish:
    """What a customer's list of orders says of one finished order: enough to record it."""

    status: str
    status_code: str = ""
    creation_date: datetime | None = None

    @classmethod
    def from_row(cls, row) -> "ListedFinish":
        return cls(row.status, row.status_code or "", row.creation_date)

    def message(self, order_id: int) -> list:
        """The task argument for one order (JSON: ids and strings only)."""
        created = self.creation_date.isoformat() if self.creation_date else None
        return [order_id, self.status, self.status_code, created]

    @classmethod
    def from_message(cls, item: list) -> tuple[int, "ListedFinish"]:
        order_id, status, status_code, created = item
        return int(order_id), cls(status, status_code, parse_datetime(created) if created else None)


def customer_orders_poll(customer_id: int) -> None:
    """Find which of the customer's in-flight orders finished upstream, in few requests."""
    customer = (
        Customer.objects.select_related("reseller__connection").filter(pk=customer_id).first()
    )
    if customer is None or not customer.upstream_customer_id:
        return
    in_flight = {
        o.upstream_order_id: o
        for o in Order.objects.filter(customer=customer, status__in=POLLED_STATUSES)
        .exclude(upstream_order_id="")
        # What the poll and the schedule read of each: thousands of orders per customer. The
        # status too: django-fsm reads it as each instance is made (a query each if deferred).
        .only("status", "upstream_order_id", "submitted_at", "placed_at")
    }
    if not in_flight:
        return
    connection_id = customer.reseller.connection_id
    oldest = min(o.submitted_at or o.placed_at for o in in_flight.values()) - CLOCK_SKEW
    client = pipeline_client(customer.reseller)
    finished = {}
    try:
        for status in FINISHED_UPSTREAM:
            finished |= _finished_rows(client, customer, status, in_flight, oldest, connection_id)
    except RateLimitError as exc:
        pause_connection(connection_id, retry_delay(1, exc.retry_after))
    except MarketplaceError:
        logger.warning("Customer %s: listing orders failed", customer.pk, exc_info=True)
    _schedule(in_flight, finished)


def _finished_rows(client, customer, status, in_flight, oldest, connection_id) -> dict:
    """The list rows of the customer's in-flight orders that are ``status`` upstream, by id."""
    found = {}
    rows = client.list_orders(customer_id=customer.upstream_customer_id, status=status)
    for index, row in enumerate(rows):
        # The first page was paid for when the customer was leased; each further page costs one.
        if index and index % MAX_PAGE_LIMIT == 0 and not budget_take(connection_id, 1):
            break
        if row.creation_date and row.creation_date < oldest:
            break
        if row.id in in_flight:
            found[row.id] = row
        if len(found) == len(in_flight):
            break
    return found


def _age(order, now) -> float:
    return (now - (order.submitted_at or order.placed_at)).total_seconds()


def _schedule(in_flight: dict, finished: dict) -> None:
    now = timezone.now()
    running = {
        order.pk: now + timedelta(seconds=poll_delay(_age(order, now)))
        for order in in_flight.values()
        if order.upstream_order_id not in finished
    }
    with transaction.atomic():
        # Orders still running wait for their next turn, backing off with age: one UPDATE
        # per step of the schedule (orders of like age share their next turn) and batch, and
        # only for orders still in flight when it runs. The rows are locked first, in id
        # order, skipping those another transaction holds (a completion being recorded,
        # another poll of this customer): two UPDATEs taking the same rows in different
        # orders deadlocked (8 times in bench/pipeline.py at 10,000 in flight).
        by_turn = defaultdict(list)
        for pk in _lockable(sorted(running)):
            by_turn[running[pk]].append(pk)
        for next_poll_at, pks in by_turn.items():
            for start in range(0, len(pks), SCHEDULE_BATCH):
                Order.objects.filter(
                    pk__in=pks[start : start + SCHEDULE_BATCH], status__in=POLLED_STATUSES
                ).update(next_poll_at=next_poll_at, poll_count=F("poll_count") + 1)
        # Finished ones are recorded from their rows now, in batches side by side. Those
        # handed to a batch are marked (in Redis, until the batch is done with them) and left
        # out of the beat's due list for a while: the customer's next list poll, finding them
        # still in flight here until the batch commits, must not hand them out again. An order
        # whose batch is lost is polled again when the mark and the lease run out.
        rows = {in_flight[upstream_id].pk: row for upstream_id, row in finished.items()}
        handed = [pk for pk in _lockable(sorted(rows)) if completion_hand_out(pk)]
        Order.objects.filter(pk__in=handed).update(
            next_poll_at=now + timedelta(seconds=COMPLETION_LEASE_SECONDS)
        )
        size = int(setting("POLL_FINISHED_BATCH"))
        for start in range(0, len(handed), size):
            batch = [
                ListedFinish.from_row(rows[pk]).message(pk) for pk in handed[start : start + size]
            ]
            transaction.on_commit(lambda messages=batch: enqueue_finished_record(messages))


def completion_hand_out(order_id: int) -> bool:
    """Mark the order handed to a completion batch; False if one holds it already."""
    return cache.add(HANDED_KEY.format(order_id), 1, timeout=COMPLETION_LEASE_SECONDS)


def completion_handed_back(order_ids) -> None:
    """The batch is done with these orders: a later list poll may hand them out again."""
    cache.delete_many([HANDED_KEY.format(pk) for pk in order_ids])


def _lockable(pks: list[int]) -> list[int]:
    """Lock the in-flight orders among ``pks`` in id order; return those locked."""
    if not pks:
        return []
    return list(
        Order.objects.filter(pk__in=pks, status__in=POLLED_STATUSES)
        .order_by("pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
