"""Celery tasks: thin, named, idempotent, and given ids only.

Submit and reconcile run on the ``submit`` queue, polling on ``poll``
(CELERY_TASK_ROUTES), so a flood of polls never delays a purchase.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import dispatch, events, notifications, subscription_events
from .pipeline import finishing, listing, polling, reconciliation, submission, sweeping

#: A task that lost its database (PostgreSQL restarting) runs again a few seconds later, on a
#: new connection (config/celery.py drops the broken one); the database is back in seconds.
DATABASE_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 1,
    "retry_backoff_max": 8,
    "max_retries": 30,
}


@shared_task(name=dispatch.SUBMIT_ORDER, **DATABASE_RETRY)
def submit_order(order_id: int) -> None:
    submission.order_submit(order_id)


@shared_task(name=dispatch.RECONCILE_ORDER, **DATABASE_RETRY)
def reconcile_order(order_id: int) -> None:
    reconciliation.order_reconcile(order_id)


@shared_task(name=dispatch.POLL_ORDER, **DATABASE_RETRY)
def poll_order(order_id: int) -> None:
    polling.order_poll(order_id)


@shared_task(name=dispatch.POLL_CUSTOMER_ORDERS, **DATABASE_RETRY)
def poll_customer_orders(customer_id: int) -> None:
    listing.customer_orders_poll(customer_id)


@shared_task(name=dispatch.RECORD_FINISHED_ORDERS, **DATABASE_RETRY)
def record_finished_orders(rows: list[list]) -> None:
    finishing.finished_orders_record(rows)


@shared_task(name=dispatch.READ_ORDER_DETAILS, **DATABASE_RETRY)
def read_order_details(order_ids: list[int]) -> None:
    finishing.order_details_read(order_ids)


@shared_task(name=dispatch.NOTIFY_COMPLETION)
def notify_completion(order_id: int) -> None:
    notifications.notify_completion(order_id)


@shared_task(name=dispatch.NOTIFY_FAILURE)
def notify_failure(order_id: int) -> None:
    notifications.notify_failure(order_id)


@shared_task(name="orders.poll_due_orders")
def poll_due_orders() -> int:
    return polling.poll_due_orders()


@shared_task(name="orders.sweep_placed_orders")
def sweep_placed_orders() -> dict:
    return sweeping.sweep()


@shared_task(name="orders.redeliver_events")
def redeliver_events() -> int:
    return events.events_redeliver() + subscription_events.events_redeliver()


@shared_task(name="orders.noop")
def noop() -> None:
    """Do nothing: the benchmark's measure of a bare Celery round trip."""
