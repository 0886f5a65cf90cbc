"""A malformed upstream answer leaves the order recorded and recoverable: never stuck, no 500.

The pipeline's functions run against the in-process simulator, as in
test_pipeline_decisions.py. A well-behaved simulator never sends a malformed
body, so ManglingTransport (tests/marketplace/mangling.py) swaps the body of
the chosen answers; the requests are still served by the simulator.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from orders.models import Order
from orders.pipeline import polling, reconciliation, submission
from tests import simulated
from tests.marketplace.mangling import ManglingTransport

from .test_pipeline_decisions import placed, poll_until_final, reload  # noqa: F401

pytestmark = pytest.mark.django_db

_mangler: ManglingTransport | None = None


def mangled_transport():
    """The MARKETPLACE_TRANSPORT factory of these tests: the simulator, behind the mangler."""
    return _mangler


@pytest.fixture
def mangler(simulator):
    global _mangler
    _mangler = ManglingTransport(simulated.transport())
    with override_settings(MARKETPLACE_TRANSPORT=f"{__name__}.mangled_transport"):
        yield _mangler
    _mangler = None


def test_a_malformed_answer_to_the_order_is_reconciled_not_sent_again(
    placed,  # noqa: F811
    simulator,
    mangler,
    enqueued,
    django_capture_on_commit_callbacks,
    client,
    admin_user,
):
    mangler.replace("POST", "/orders", {"id": "1", "products": "all of them"}, count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)

    order = reload(placed)
    assert order.status == Order.Status.UNKNOWN
    event = order.events.last()
    assert event.action == "lose_track" and "not in the shape" in event.cause
    assert event.correlation_id.startswith("a8n-")
    exchange = order.exchanges.get(operation="create_order")
    assert exchange.error.startswith("OrderOutcomeUnknown:")
    assert "products" in exchange.error and exchange.correlation_id == event.correlation_id
    assert ("orders.reconcile_order", order.pk, 20.0) in enqueued

    with django_capture_on_commit_callbacks(execute=True):
        reconciliation.order_reconcile(order.pk)
    order = reload(order)
    assert order.status == Order.Status.SUBMITTED
    assert simulator.orders_with(order.reference) == 1

    client.force_login(admin_user)
    page = client.get(reverse("orders:detail", kwargs={"reference": order.reference}))
    assert page.status_code == 200


def test_a_malformed_answer_to_a_poll_is_recorded_and_polled_again(
    placed,  # noqa: F811
    simulator,
    mangler,
    enqueued,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == Order.Status.SUBMITTED
    mangler.replace("GET", f"/orders/{order.upstream_order_id}", {"status": ["completed"]}, count=4)

    with django_capture_on_commit_callbacks(execute=True):
        polling.order_poll(order.pk)
    order = reload(order)
    assert order.status == Order.Status.SUBMITTED
    assert order.next_poll_at is not None
    failed = order.exchanges.filter(operation="get_order").last()
    assert failed.error.startswith("MalformedResponseError:")
    assert "status" in failed.error and failed.correlation_id.startswith("a8n-")
    assert failed.response_body["text"] == '{"status": ["completed"]}'

    # The upstream recovers: the next polls read the order and complete it.
    order = poll_until_final(order, simulator, django_capture_on_commit_callbacks)
    assert order.status == Order.Status.COMPLETED


@override_settings(ORDERS_PIPELINE={"RECONCILE_SETTLE_SECONDS": 0})
def test_a_malformed_order_list_while_reconciling_is_checked_again_later(
    placed,  # noqa: F811
    simulator,
    mangler,
    enqueued,
    django_capture_on_commit_callbacks,
):
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    assert reload(placed).status == Order.Status.UNKNOWN
    mangler.replace("GET", "/orders", {"data": "none", "pagination": {"offset": "²"}}, count=4)

    with django_capture_on_commit_callbacks(execute=True):
        reconciliation.order_reconcile(placed.pk)
    order = reload(placed)
    assert order.status == Order.Status.UNKNOWN  # not given up, not sent again
    search = order.exchanges.last()  # the reference search, recorded as incomplete
    assert search.operation == "search_orders"
    assert "not in the shape its API documents" in str(search.response_body)
    assert simulator.orders_with(order.reference) == 1

    with django_capture_on_commit_callbacks(execute=True):
        reconciliation.order_reconcile(placed.pk)
    assert reload(placed).status == Order.Status.SUBMITTED
    assert simulator.orders_with(order.reference) == 1
