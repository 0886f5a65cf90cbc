"""The pipeline's decisions against the simulator in-process, one step at a time."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from marketplace.constants import DEFAULT_MAX_RETRIES
from orders.models import Order, SeatBatch, Subscription
from orders.notifications import notify_completion
from orders.pipeline import finishing, listing, polling, reconciliation, submission, sweeping
from orders.services import order_place
from tests.factories import ContactFactory, UserFactory

from .helpers import order_request, place_for
from .simulated import plain_products

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(upstream_customer, upstream_reseller):
    buyer = UserFactory(reseller=upstream_reseller, email="buyer@northwind.example")
    ContactFactory(customer=upstream_customer, email="it@litware.example")
    request = order_request(
        upstream_customer,
        plain_products(2),
        microsoft_domain=f"litware{uuid.uuid4().hex[:8]}.onmicrosoft.com",
    )
    return order_place(
        request=request,
        reseller=upstream_reseller,
        placed_by=buyer,
        idempotency_key=uuid.uuid4(),
        ip_address=None,
        channel="wizard",
    )


def reload(order):
    return Order.objects.get(pk=order.pk)


def poll_until_final(order, simulator, django_capture_on_commit_callbacks, rounds=10):
    for _ in range(rounds):
        simulator.advance(60)
        with django_capture_on_commit_callbacks(execute=True):
            polling.order_poll(order.pk)
        order = reload(order)
        if order.status in ("completed", "failed"):
            break
    return order


def test_an_order_goes_from_placed_to_completed(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == "submitted"
    assert order.upstream_order_number.startswith("SO")
    assert ("orders.poll_order", order.pk, 2.0) in enqueued
    exchange = order.exchanges.get(operation="create_order")
    assert exchange.request_body["poNumber"].startswith(order.reference)
    # The answer as the marketplace sent it (201 Created, its own field names), with its id.
    assert exchange.status_code == 201
    assert exchange.response_body["orderNumber"] == order.upstream_order_number
    assert exchange.correlation_id.startswith("a8n-")

    order = poll_until_final(order, simulator, django_capture_on_commit_callbacks)
    assert order.status == "completed"
    subscriptions = list(Subscription.objects.filter(order=order))
    assert len(subscriptions) == 2
    for subscription in subscriptions:
        assert subscription.seats == 3
        assert subscription.tenant_domain.endswith(".onmicrosoft.com")
        assert subscription.cancellation_window_ends_at - subscription.created_at == timedelta(
            hours=168
        )
        assert SeatBatch.objects.get(subscription=subscription).seats == 3
    order.customer.refresh_from_db()
    assert order.customer.tenant_domain == subscriptions[0].tenant_domain
    assert order.customer.mca_accepted_on is not None
    actions = list(order.events.values_list("action", flat=True))
    assert actions[:3] == ["place", "claim_for_submission", "accept"]
    assert actions[-1] == "complete"
    # The e-mail is its own task, enqueued once the completion is committed.
    assert ("orders.notify_completion", order.pk, None) in enqueued
    assert not mail.outbox
    notify_completion(order.pk)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["buyer@northwind.example", "it@litware.example"]
    assert simulator.orders_with(order.reference) == 1


def test_a_lost_response_is_reconciled_without_a_second_order(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == "unknown"
    assert ("orders.reconcile_order", order.pk, 20.0) in enqueued
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation.order_reconcile(order.pk)
    order = reload(order)
    assert order.status == "submitted"
    assert "adopted" in order.events.last().cause
    assert simulator.orders_with(order.reference) == 1


@override_settings(ORDERS_PIPELINE={"RECONCILE_SETTLE_SECONDS": 0})
def test_an_order_never_created_is_sent_again_after_the_settling_period(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    simulator.fail(kind="drop", when="before", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    assert reload(placed).status == "unknown"
    assert simulator.orders_with(placed.reference) == 0
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation.order_reconcile(placed.pk)
    assert reload(placed).status == "placed"
    assert ("orders.submit_order", placed.pk, None) in enqueued
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == "submitted"
    assert order.submit_attempts == 2
    assert simulator.orders_with(order.reference) == 1


def test_reconciliation_waits_for_the_settling_period(placed, simulator, enqueued):
    simulator.fail(kind="drop", when="before", method="POST", path="/orders", count=1)
    submission.order_submit(placed.pk)
    reconciliation.order_reconcile(placed.pk)
    order = reload(placed)
    assert order.status == "unknown"
    assert order.next_attempt_at is not None


def test_a_rate_limited_send_goes_back_to_placed_and_is_retried(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    simulator.fail(kind="status", status=429, retryAfter=0, method="POST", path="/orders", count=4)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == "placed"
    assert "429" in order.events.last().cause
    assert simulator.orders_with(order.reference) == 0
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    assert reload(placed).status == "submitted"


def test_an_unreachable_marketplace_means_nothing_was_sent(
    placed, enqueued, settings, backoff_waits
):
    # Nothing listens on port 9 of the loopback: every connection is refused
    # before a byte is sent, which is what makes the retries (and a later
    # submission) safe.
    settings.MARKETPLACE_TRANSPORT = None
    placed.reseller.connection.base_url = "http://127.0.0.1:9/marketplace/eu"
    placed.reseller.connection.save()
    submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == "placed"
    assert order.upstream_order_id == ""
    assert order.next_attempt_at is not None
    assert len(backoff_waits) == DEFAULT_MAX_RETRIES  # the token request, retried, then given up
    assert "could not be reached" in order.events.last().cause


def test_an_upstream_refusal_fails_the_order_with_guidance(
    placed, simulator, enqueued, django_capture_on_commit_callbacks, settings
):
    simulator.fail(kind="business", error="mca_missing", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == "failed"
    # Microsoft's words for 13605 (upstream README §2.5), kept as they came ...
    assert order.failure_message == (
        "Either a partner confirmation of the customer acceptance of the Microsoft Customer "
        "Agreement must be provided or the customer must accept the Microsoft Customer Agreement "
        "in the Microsoft Admin Center before you can complete this purchase"
    )
    # ... and what the reseller does about it.
    assert "accepted the Microsoft Customer Agreement" in order.failure_guidance
    assert "then resubmit" in order.failure_guidance
    assert [m.subject for m in mail.outbox] == [f"Order {order.reference} failed: action needed"]
    # The e-mail gives what the support desk asks for, as the order page does.
    (exchange,) = order.exchanges.exclude(correlation_id="").filter(path__endswith="orders")
    assert f"with correlation id {exchange.correlation_id}" in mail.outbox[0].body
    assert f"contact {settings.MARKETPLACE_SUPPORT_CONTACT}" in mail.outbox[0].body


def test_provisioning_failure_upstream_fails_the_order(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    simulator.fail(kind="order_outcome", outcome="error", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = poll_until_final(reload(placed), simulator, django_capture_on_commit_callbacks)
    assert order.status == "failed"
    assert "control panel" in order.failure_guidance


def test_a_worker_that_died_while_sending_is_found_by_the_sweeper(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    # Simulate the death: the order was sent, but the worker never recorded the answer.
    Order.objects.filter(pk=placed.pk).update(
        status="submitting", upstream_order_id="", claimed_at=placed.placed_at - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = sweeping.sweep()
    assert counts["stale"] == 1
    assert reload(placed).status == "unknown"
    reconciliation.order_reconcile(placed.pk)
    assert reload(placed).status == "submitted"
    assert simulator.orders_with(placed.reference) == 1


def test_due_orders_are_leased_within_the_connection_budget(placed, simulator, enqueued):
    submission.order_submit(placed.pk)
    Order.objects.filter(pk=placed.pk).update(next_poll_at=placed.placed_at)
    with override_settings(ORDERS_PIPELINE={"POLL_REQUESTS_PER_MINUTE": 0}):
        assert polling.due_orders_claim().order_ids == []
    assert polling.due_orders_claim().order_ids == [placed.pk]
    assert polling.due_orders_claim().order_ids == []  # leased


@override_settings(ORDERS_PIPELINE={"POLL_LIST_THRESHOLD": 3})
def test_a_customer_with_many_orders_in_flight_is_polled_with_list_requests(
    placed,
    upstream_reseller,
    upstream_customer,
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    others = [place_for(upstream_customer, plain_products(1), domain_prefix="lw") for _ in range(2)]
    orders = [placed, *others]
    for order in orders:
        submission.order_submit(order.pk)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(next_poll_at=placed.placed_at)
    simulator.advance(60)
    due = polling.due_orders_claim()
    assert due.customer_ids == [upstream_customer.pk] and due.order_ids == []
    requests_before = sum(simulator.stats()["requests"].values())
    enqueued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        listing.customer_orders_poll(upstream_customer.pk)
    assert sum(simulator.stats()["requests"].values()) - requests_before <= 3
    # The finished orders are recorded together from their list rows, by one task.
    assert [(name, sorted(row[0] for row in rows)) for name, rows, _ in enqueued] == [
        ("orders.record_finished_orders", sorted(o.pk for o in orders))
    ]
    assert {row[1] for _, rows, _ in enqueued for row in rows} == {"completed"}


def test_orders_still_running_upstream_are_rescheduled_in_one_update(
    placed, upstream_reseller, upstream_customer, simulator, enqueued
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Upstream the orders stay submitted for an hour of the simulator's time: with the test
    # profile's fraction of a second, a loaded machine saw some finish before the list poll
    # (recorded apart, in a second UPDATE). One submission time for all puts them on the same
    # step of the poll schedule, however long the submits took.
    simulator.post("timings", {"submitted": 3600})
    others = [place_for(upstream_customer, plain_products(1), domain_prefix="lr") for _ in range(4)]
    orders = [placed, *others]
    for order in orders:
        submission.order_submit(order.pk)
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(submitted_at=timezone.now())
    before = {o.pk: (o.poll_count, o.next_poll_at) for o in map(reload, orders)}
    enqueued.clear()

    with CaptureQueriesContext(connection) as queries:
        listing.customer_orders_poll(upstream_customer.pk)

    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "orders_order"')]
    assert len(updates) == 1
    assert not [name for name, _, _ in enqueued if name == "orders.poll_order"]
    for order in map(reload, orders):
        assert order.status in listing.POLLED_STATUSES
        count, next_poll_at = before[order.pk]
        assert order.poll_count == count + 1
        assert order.next_poll_at > (next_poll_at or order.placed_at)


def test_an_order_another_worker_is_polling_is_left_to_it(placed, simulator, enqueued):
    submission.order_submit(placed.pk)
    simulator.advance(60)
    requests_before = sum(simulator.stats()["requests"].values())

    with polling.poll_claim(placed.pk) as claimed:  # another worker holds the order
        assert claimed
        polling.order_poll(placed.pk)
        assert sum(simulator.stats()["requests"].values()) == requests_before
        assert reload(placed).status == Order.Status.SUBMITTED

    polling.order_poll(placed.pk)  # the claim is released: the next poll records the completion
    assert reload(placed).status == Order.Status.COMPLETED


@pytest.mark.django_db(transaction=True)
def test_a_list_poll_leaves_an_order_another_transaction_holds_and_schedules_the_rest(
    placed, upstream_reseller, upstream_customer, simulator, enqueued
):
    # Two transactions updating the same orders in different orders deadlocked; the list
    # poll now locks in id order and skips what another transaction (a completion being
    # recorded, another poll of the customer) holds. Here a second connection holds one.
    import threading

    from django.db import connection, transaction

    others = [place_for(upstream_customer, plain_products(1), domain_prefix="lk") for _ in range(2)]
    orders = [placed, *others]
    # Still provisioning when the list is read, however slow the machine: a finished order is
    # handed to the finishing task instead of being scheduled for another poll.
    simulator.fail(kind="order_outcome", outcome="stuck", count=len(orders))
    for order in orders:
        submission.order_submit(order.pk)
    before = {o.pk: o.poll_count for o in map(reload, orders)}
    held, locked, release = orders[0], threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                Order.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    try:
        listing.customer_orders_poll(upstream_customer.pk)
    finally:
        release.set()
        holder.join()

    assert reload(held).poll_count == before[held.pk]
    assert all(reload(o).poll_count == before[o.pk] + 1 for o in others)


def test_orders_handed_to_a_completion_batch_are_not_handed_out_again_until_it_is_done(
    placed, simulator, enqueued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    simulator.advance(3600)  # finished upstream
    enqueued.clear()

    def handed_out():
        with django_capture_on_commit_callbacks(execute=True):
            listing.customer_orders_poll(placed.customer_id)
        batches = [rows for name, rows, _ in enqueued if name == "orders.record_finished_orders"]
        enqueued.clear()
        return batches

    batches = handed_out()
    assert [[row[0] for row in rows] for rows in batches] == [[placed.pk]]
    # The batch has not run yet: another list poll of the customer leaves the order to it.
    assert handed_out() == []
    finishing.finished_orders_record(batches[0])
    assert reload(placed).status == "completed"


def test_a_list_poll_costs_the_same_few_statements_however_many_orders_are_in_flight(
    upstream_reseller, upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    orders = [
        place_for(upstream_customer, plain_products(1), domain_prefix="lq") for _ in range(30)
    ]
    for order in orders:
        submission.order_submit(order.pk)
    before = {o.pk: reload(o).poll_count for o in orders}

    with django_capture_on_commit_callbacks(execute=True):
        with CaptureQueriesContext(connection) as queries:
            listing.customer_orders_poll(upstream_customer.pk)

    # The customer, its orders in flight, the lock and one UPDATE per step of the schedule
    # (and savepoints): no statement per order (loading the orders without their status once
    # read it back one query each, 30 here, through django-fsm).
    assert len(queries) <= 10, [q["sql"][:80] for q in queries]
    # Each order was rescheduled, or found finished and handed over to be recorded.
    handed = {row[0] for _, rows, _ in enqueued for row in rows}
    for order in orders:
        assert order.pk in handed or reload(order).poll_count == before[order.pk] + 1
