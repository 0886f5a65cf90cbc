"""Hand work to the Celery workers: ids only, and never trusted to arrive.

A lost message costs only time: the sweeper (``orders.sweep_placed_orders``)
finds every order the database says still needs work and enqueues it again.

Tasks are published by name, so this module imports nothing of ``orders.tasks``
(which imports the pipeline, which imports this): the names below are the ones
``orders.tasks`` registers.
"""

import logging

from celery import current_app

logger = logging.getLogger(__name__)

#: Publishing gives up quickly when the broker is down; the sweeper catches up.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}

SUBMIT_ORDER = "orders.submit_order"
RECONCILE_ORDER = "orders.reconcile_order"
POLL_ORDER = "orders.poll_order"
POLL_CUSTOMER_ORDERS = "orders.poll_customer_orders"
RECORD_FINISHED_ORDERS = "orders.record_finished_orders"
READ_ORDER_DETAILS = "orders.read_order_details"
NOTIFY_COMPLETION = "orders.notify_completion"
NOTIFY_FAILURE = "orders.notify_failure"


def enqueue_submit(order_id: int, *, countdown: float | None = None) -> None:
    _publish(SUBMIT_ORDER, order_id, countdown)


def enqueue_reconcile(order_id: int, *, countdown: float | None = None) -> None:
    _publish(RECONCILE_ORDER, order_id, countdown)


def enqueue_poll(order_id: int, *, countdown: float | None = None) -> None:
    _publish(POLL_ORDER, order_id, countdown)


def enqueue_customer_poll(customer_id: int) -> None:
    _publish(POLL_CUSTOMER_ORDERS, customer_id, None)


def enqueue_finished_record(rows: list[list]) -> None:
    """One customer's orders a list poll found finished, with what their list rows say."""
    _publish(RECORD_FINISHED_ORDERS, list(rows), None)


def enqueue_details_read(order_ids: list[int]) -> None:
    """One customer's orders completed before their detail was read: read and record it."""
    _publish(READ_ORDER_DETAILS, list(order_ids), None)


def enqueue_completion_notice(order_id: int) -> None:
    # A lost notice is not re-sent: the order page shows the same news.
    _publish(NOTIFY_COMPLETION, order_id, None)


def enqueue_failure_notice(order_id: int) -> None:
    _publish(NOTIFY_FAILURE, order_id, None)


def _publish(task_name: str, object_id: int | list, countdown: float | None) -> None:
    try:
        # By name: the queue comes from CELERY_TASK_ROUTES, as for task.apply_async.
        current_app.send_task(
            task_name,
            args=(object_id,),
            countdown=countdown,
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:
        # The database still says what needs doing; the sweeper will enqueue it again.
        logger.warning("Could not enqueue %s(%s)", task_name, object_id, exc_info=True)
