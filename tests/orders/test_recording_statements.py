"""Recording completions costs a bounded number of SQL statements per order (issue 14).

The completions come through the product's own path against the simulator in-process: a
customer's list poll finds them finished and hands their rows over; the rows are recorded
(``finishing.finished_orders_record``, no request); the beat hands out the details due and
``finishing.order_details_read`` records the subscriptions.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orders.models import Order, OrderEvent, SeatBatch, Subscription, UpstreamExchange
from orders.pipeline import finishing, listing, polling, submission

from .helpers import place_for
from .simulated import plain_products

pytestmark = [
    pytest.mark.django_db,
    # The customer's orders get a list poll however few they are.
    pytest.mark.usefixtures("list_polled"),
]

#: Statements per order recorded from its list row: its transaction with the transition's
#: savepoint inside (four), the transition (conditional UPDATE, event). Measured: 6.1 per
#: order for 10.
PER_ROW = 6
#: Statements per order whose detail is recorded (two lines, a new tenant each), savepoints
#: included: its transaction, the claim (conditional UPDATE), the tenant admin kept, one INSERT
#: each for subscriptions and seat batches (and the SELECT that keeps a seat batch from being
#: made twice), one UPDATE of its lines, the event. Before issue 14's work a completion cost
#: 38.6 statements per order (44 for 1).
PER_DETAIL = 13
#: A batch's own: the orders (with their parameters, lines and products), the customer
#: locked and written once, every exchange row in one INSERT.
PER_BATCH = 8


def _rows_handed_over(customer, enqueued, capture_on_commit) -> list:
    """Run the customer's list poll; return the rows it handed to the recording tasks."""
    enqueued.clear()
    with capture_on_commit(execute=True):
        listing.customer_orders_poll(customer.pk)
    return [
        row for name, rows, _ in enqueued if name == "orders.record_finished_orders" for row in rows
    ]


def _detail_batches() -> list:
    """What the beat hands out now of the completed orders whose detail is due."""
    return polling.due_orders_claim().detail_batches


def _orders_completed_upstream(reseller, customer, simulator, count):
    orders = [place_for(customer, plain_products(2), domain_prefix="rs") for _ in range(count)]
    for order in orders:
        submission.order_submit(order.pk)
    simulator.advance(3600)
    return orders


@pytest.mark.parametrize("count", [1, 10])
def test_recording_completions_costs_a_bounded_number_of_statements_per_order(
    count,
    upstream_reseller,
    upstream_customer,
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    orders = _orders_completed_upstream(upstream_reseller, upstream_customer, simulator, count)
    ids = [o.pk for o in orders]
    exchanges_before = UpstreamExchange.objects.filter(order__in=ids).count()
    rows = _rows_handed_over(upstream_customer, enqueued, django_capture_on_commit_callbacks)
    assert sorted(row[0] for row in rows) == sorted(ids)

    with CaptureQueriesContext(connection) as from_rows:
        finishing.finished_orders_record(rows)
    # Completed, with no request made: the subscriptions follow with the details.
    for order in Order.objects.filter(pk__in=ids):
        assert order.status == Order.Status.COMPLETED and order.details_pending
    assert not Subscription.objects.filter(order__in=ids).exists()
    assert UpstreamExchange.objects.filter(order__in=ids).count() == exchanges_before

    batches = _detail_batches()
    assert sorted(pk for batch in batches for pk in batch) == sorted(ids)
    with CaptureQueriesContext(connection) as from_details:
        for batch in batches:
            finishing.order_details_read(batch)

    print(
        f"{count} completions: {len(from_rows)} statements from the rows, "
        f"{len(from_details)} from the details"
    )
    assert len(from_rows) <= PER_BATCH + PER_ROW * count
    assert len(from_details) <= PER_BATCH * len(batches) + PER_DETAIL * count
    # Everything is recorded: the state change with its event, the subscriptions and their
    # seat batches, the lines linked, every upstream call with its correlation id.
    for order in Order.objects.filter(pk__in=ids).prefetch_related("lines"):
        assert order.status == Order.Status.COMPLETED and not order.details_pending
        assert OrderEvent.objects.filter(order=order, action="complete").count() == 1
        assert OrderEvent.objects.filter(order=order, action="details_recorded").count() == 1
        assert all(line.subscription_id for line in order.lines.all())
    assert Subscription.objects.filter(order__in=ids).count() == 2 * count
    assert SeatBatch.objects.filter(order__in=ids).count() == 2 * count
    calls = UpstreamExchange.objects.filter(order__in=ids).order_by("pk")
    assert calls.count() - exchanges_before >= 2 * count  # each order's detail and list row
    assert all(c.correlation_id for c in calls[exchanges_before:])
    upstream_customer.refresh_from_db()
    assert upstream_customer.relationship == upstream_customer.Relationship.ACCEPTED


def test_a_details_batch_that_fails_still_keeps_every_call_it_made(
    upstream_reseller,
    upstream_customer,
    simulator,
    enqueued,
    backoff_waits,
    django_capture_on_commit_callbacks,
):
    orders = _orders_completed_upstream(upstream_reseller, upstream_customer, simulator, 3)
    ids = [o.pk for o in orders]
    finishing.finished_orders_record(
        _rows_handed_over(upstream_customer, enqueued, django_capture_on_commit_callbacks)
    )
    before = set(UpstreamExchange.objects.filter(order__in=ids).values_list("pk", flat=True))
    simulator.fail(kind="status", status=503, method="GET", path="/subscriptions/*", count=50)

    (batch,) = _detail_batches()
    finishing.order_details_read(batch)

    # Still completed, its detail still to be read (again, later); nothing half-recorded.
    assert Order.objects.filter(pk__in=ids, details_pending=True).count() == 3
    assert not Subscription.objects.filter(order__in=ids).exists()
    assert all(o.next_poll_at > o.completed_at for o in Order.objects.filter(pk__in=ids))
    kept = UpstreamExchange.objects.filter(order__in=ids).exclude(pk__in=before)
    assert sorted(kept.filter(operation="get_order").values_list("order_id", flat=True)) == ids
    assert kept.filter(operation="list_subscriptions").count() == 3
    failed = kept.get(operation="get_subscription")
    assert failed.status_code == 503 and failed.error and failed.correlation_id


def test_an_order_another_worker_recorded_leaves_the_rest_of_the_batch_to_be_recorded(
    upstream_reseller, upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    from orders.pipeline.clients import pipeline_client
    from orders.pipeline.completion import record_details

    Customer = type(upstream_customer)
    Customer.objects.filter(pk=upstream_customer.pk).update(
        relationship=Customer.Relationship.UNKNOWN, tenant_domain="", tenant_id=None
    )
    orders = _orders_completed_upstream(upstream_reseller, upstream_customer, simulator, 2)
    finishing.finished_orders_record(
        _rows_handed_over(upstream_customer, enqueued, django_capture_on_commit_callbacks)
    )
    loaded = list(
        Order.objects.select_related("customer", "reseller__connection")
        .prefetch_related("parameters", "lines__product")
        .filter(pk__in=[o.pk for o in orders])
        .order_by("pk")
    )
    client = pipeline_client(loaded[0].reseller)
    read = [(o, client.get_order(order_id=o.upstream_order_id)) for o in loaded]
    # Another worker recorded the first order's detail after this batch read it.
    Order.objects.filter(pk=loaded[0].pk).update(details_pending=False)

    record_details(read, client)

    first, second = loaded
    assert not Subscription.objects.filter(order=first).exists()
    assert not OrderEvent.objects.filter(order=first, action="details_recorded").exists()
    assert not Order.objects.get(pk=second.pk).details_pending
    assert Subscription.objects.filter(order=second).count() == 2
    customer = Customer.objects.get(pk=upstream_customer.pk)
    assert customer.relationship == Customer.Relationship.ACCEPTED
    assert customer.tenant_domain == Subscription.objects.filter(order=second)[0].tenant_domain
    assert customer.tenant_domain
