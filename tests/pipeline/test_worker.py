"""The order pipeline end to end: real Celery workers, Redis, PostgreSQL, simulator over HTTP."""

from datetime import timedelta

import pytest
from django.test import Client

from orders.models import Order, Subscription
from orders.tasks import submit_order

from .conftest import (
    RedisServer,
    celery_broker,
    place_order,
    wait_for,
    wait_for_status,
)

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


def test_an_order_is_submitted_once_and_followed_to_completion(upstream, simulator, start_worker):
    worker = start_worker()
    order = place_order(upstream)
    order = wait_for_status(order, "completed", workers=[worker])
    assert order.upstream_order_number.startswith("SO")
    assert simulator.orders_with(order.reference) == 1
    subscription = Subscription.objects.get(order=order)
    assert subscription.seats == 3 and subscription.tenant_domain.endswith(".onmicrosoft.com")
    actions = list(order.events.values_list("action", flat=True))
    assert actions[:3] == ["place", "claim_for_submission", "accept"]
    assert actions[-1] == "complete"
    assert order.exchanges.filter(operation="create_order").count() == 1
    # Successful calls keep the upstream's correlation id too, for support to quote.
    assert order.exchanges.exists()
    assert all(e.correlation_id for e in order.exchanges.filter(error=""))


def test_a_429_storm_delays_orders_but_sends_each_once(upstream, simulator, start_worker):
    # A storm of six 429s among the requests, not a storm of eight seconds: a slow worker start
    # on a loaded machine could outlast a timed storm before anything was sent.
    simulator.fail(kind="status", status=429, retryAfter=1, probability=0.6, seed=7, count=6)
    worker = start_worker()
    orders = [place_order(upstream) for _ in range(4)]
    for order in orders:
        wait_for_status(order, "completed", timeout=90, workers=[worker])
        assert simulator.orders_with(order.reference) == 1
    assert sum(simulator.stats()["failuresServed"].values()) > 0


def test_a_5xx_storm_is_reconciled_without_duplicates(upstream, simulator, start_worker):
    simulator.fail(kind="status", status=503, probability=0.5, seed=3, count=6)
    simulator.fail(kind="status", status=504, method="POST", path="/orders", count=2)
    worker = start_worker()
    orders = [place_order(upstream) for _ in range(4)]
    for order in orders:
        order = wait_for_status(order, "completed", timeout=90, workers=[worker])
        assert simulator.orders_with(order.reference) == 1
    assert Order.objects.filter(events__action="lose_track").exists()


def test_a_lost_response_is_reconciled_without_a_second_order(upstream, simulator, start_worker):
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    worker = start_worker()
    order = place_order(upstream)
    order = wait_for_status(order, "completed", workers=[worker])
    assert simulator.orders_with(order.reference) == 1
    actions = list(order.events.values_list("action", flat=True))
    assert actions[:4] == ["place", "claim_for_submission", "lose_track", "accept"]
    assert "adopted" in order.events.get(action="accept").cause


def test_an_upstream_rejection_is_shown_to_the_reseller(upstream, simulator, start_worker):
    simulator.fail(kind="business", error="no_relationship", method="POST", path="/orders", count=1)
    worker = start_worker()
    order = place_order(upstream)
    order = wait_for_status(order, "failed", workers=[worker])
    assert simulator.orders_with(order.reference) == 0
    browser = Client()
    browser.force_login(upstream[2])
    page = browser.get(f"/orders/{order.reference}/").content.decode()
    # Partner Center's words (upstream README §2.4) for the seeded customer, then what to do:
    # the relationship tracker waits, and the customer's Global Admin gets the acceptance link.
    assert "has no commerce relationship with the customer id 1000101" in page
    assert "Send them this link" in page
    assert "Resubmit this order" not in page  # the tracker resubmits by itself


def test_two_workers_racing_on_one_order_submit_it_once(upstream, simulator, start_worker):
    simulator.fail(kind="delay", seconds=2, method="POST", path="/orders", count=1)
    workers = [start_worker(name="a", beat=False), start_worker(name="b", beat=False)]
    order = place_order(upstream)
    for _ in range(8):
        submit_order.delay(order.pk)
    order = wait_for_status(order, "submitted", workers=workers)
    assert simulator.orders_with(order.reference) == 1
    assert order.events.filter(action="claim_for_submission").count() == 1


def test_a_worker_killed_during_submit_and_a_redis_restart_lose_and_repeat_nothing(
    upstream, simulator, start_worker, tmp_path
):
    redis = RedisServer(tmp_path)
    try:
        simulator.fail(kind="delay", seconds=4, method="POST", path="/orders", count=1)
        worker = start_worker(name="doomed", redis_url=redis.url)
        with celery_broker(redis.url):
            first = place_order(upstream)
        wait_for(
            lambda: Order.objects.get(pk=first.pk).status == "submitting",
            what="the worker to claim the order",
        )
        wait_for(
            lambda: simulator.orders_with(first.reference) == 1,
            what="the marketplace to create the order",
        )
        worker.kill()
        redis.kill()
        with celery_broker(redis.url):
            # The broker is down: the order is committed, its task is lost.
            second = place_order(upstream)
        redis = RedisServer(tmp_path, port=redis.port)
        survivor = start_worker(name="survivor", redis_url=redis.url)
        for order in (first, second):
            order = wait_for_status(order, "completed", timeout=90, workers=[survivor])
            assert simulator.orders_with(order.reference) == 1
        first_actions = list(Order.objects.get(pk=first.pk).events.values_list("action", flat=True))
        assert first_actions[:4] == ["place", "claim_for_submission", "lose_track", "accept"]
    finally:
        redis.stop()


def test_two_worker_processes_racing_over_due_orders_record_each_completion_once(
    upstream, simulator, start_worker
):
    # Two worker processes, each with its own beat running orders.poll_due_orders: both
    # claim due orders from the same schedule and poll them.
    workers = [start_worker(name="a"), start_worker(name="b")]
    orders = [place_order(upstream) for _ in range(6)]
    for order in orders:
        wait_for_status(order, ("submitted", "processing", "completed"), workers=workers)
    for order in orders:
        order = wait_for_status(order, "completed", timeout=90, workers=workers)
        assert simulator.orders_with(order.reference) == 1
        assert order.events.filter(action="complete").count() == 1
        assert Subscription.objects.filter(order=order).count() == 1
        # No two polls of one order ran at once: each starts after the previous one ended.
        polls = list(
            order.exchanges.filter(operation="get_order")
            .order_by("started_at")
            .values_list("started_at", "duration_ms")
        )
        for (started, took), (next_started, _) in zip(polls, polls[1:], strict=False):
            assert next_started >= started + timedelta(milliseconds=took)
