"""Hand work to the Celery workers: ids only, and never trusted to arrive.

A lost message costs only time: the sweeper (``orders.sweep_placed_orders``)
finds every order the database says still needs work and enqueues it again.
"""

import logging

logger = logging.getLogger(__name__)

#: Publishing gives up quickly when the broker is down; the sweeper catches up.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}


def enqueue_submit(order_id: int, *, countdown: float | None = None) -> None:
    from .tasks import submit_order

    _publish(submit_order, order_id, countdown)


def enqueue_reconcile(order_id: int, *, countdown: float | None = None) -> None:
    from .tasks import reconcile_order

    _publish(reconcile_order, order_id, countdown)


def enqueue_poll(order_id: int, *, countdown: float | None = None) -> None:
    from .tasks import poll_order

    _publish(poll_order, order_id, countdown)


def enqueue_customer_poll(customer_id: int) -> None:
    from .tasks import poll_customer_orders

    _publish(poll_customer_orders, customer_id, None)


def _publish(task, object_id, countdown):
    try:
        task.apply_async(
            (object_id,), countdown=countdown, retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except Exception:
        # The database still says what needs doing; the sweeper will enqueue it again.
        logger.warning("Could not enqueue %s(%s)", task.name, object_id, exc_info=True)
