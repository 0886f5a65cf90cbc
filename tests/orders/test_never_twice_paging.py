"""A reference search whose paging fails halfway proves nothing: the order stays unknown.

Against the in-process simulator, through the pipeline's own submit and
reconcile functions: the answer to our POST is lost, forty newer orders of the
customer push ours to the second page, and that page fails (a failure rule
scoped to ``offset=25``) while the first is served.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from orders.models import Order
from orders.pipeline import reconciliation, submission

from .test_never_twice import place_and_send, post_orders
from .test_pipeline_decisions import placed  # noqa: F401  (the same placed order fixture)

pytestmark = pytest.mark.django_db

PAGE = 25


def test_a_search_whose_second_page_fails_keeps_the_order_unknown_and_looks_again(
    placed,  # noqa: F811
    simulator,
    enqueued,
    settings,
    backoff_waits,
    django_capture_on_commit_callbacks,
):
    settings.ORDERS_PIPELINE = {**settings.ORDERS_PIPELINE, "RECONCILE_PAGE_SIZE": PAGE}
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.UNKNOWN
    place_and_send(placed.customer, 40, django_capture_on_commit_callbacks)
    posts = post_orders(simulator)
    # The second page fails every time it is asked for (retries included); the first is served.
    simulator.fail(kind="status", status=503, method="GET", path="/orders", query={"offset": PAGE})

    later = timezone.now() + timedelta(minutes=5)  # past the settling period
    with time_machine.travel(later):
        with django_capture_on_commit_callbacks(execute=True):
            reconciliation.order_reconcile(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.UNKNOWN
    assert post_orders(simulator) == posts  # no second POST
    assert simulator.orders_with(placed.reference) == 1
    search = placed.exchanges.filter(operation="search_orders").last().response_body
    assert search["complete"] is False and search["found"] is None
    assert (search["pages"], search["listed"], search["total"]) == (1, PAGE, 41)
    assert f"offset {PAGE} failed" in search["reason"]
    # Looked for again later: a reconcile is scheduled and the order is due for the sweeper.
    assert placed.next_attempt_at is not None and placed.next_attempt_at > later
    assert any(
        name == "orders.reconcile_order" and pk == placed.pk for name, pk, _ in enqueued[-3:]
    )
    assert not placed.events.filter(action="release").exists()

    # The marketplace recovers: the next search reaches the second page and adopts the order.
    simulator.control.delete("/_simulator/failures")
    with time_machine.travel(placed.next_attempt_at + timedelta(seconds=1)):
        with django_capture_on_commit_callbacks(execute=True):
            reconciliation.order_reconcile(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.SUBMITTED
    assert post_orders(simulator) == posts
    assert simulator.orders_with(placed.reference) == 1
    covered = placed.exchanges.filter(operation="search_orders").last().response_body
    assert covered["complete"] is True and covered["pages"] == 2
