"""A 429's pause outlives the cache: a Redis restart (or a Redis down) does not forget it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from customers import connection_pause
from orders.models import Order
from orders.pipeline import budget, submission
from orders.pipeline.budget import ConnectionPause, paused_until
from tests.cache_space import cache_empty

from .test_never_twice import place_and_send, post_orders
from .test_pipeline_decisions import placed  # noqa: F401  (the same placed order fixture)

pytestmark = pytest.mark.django_db


def test_a_pause_survives_the_cache_losing_everything(
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    simulator.fail(kind="status", status=429, retryAfter=30, method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED
    connection_id = placed.reseller.connection_id

    cache_empty()  # what a Redis restart without persistence does

    until = paused_until(connection_id)
    assert until is not None and until - timezone.now() > timedelta(seconds=25)
    assert ConnectionPause(connection_id).paused_for() > 25
    sent_before = post_orders(simulator)
    place_and_send(placed.customer, 1, django_capture_on_commit_callbacks)
    assert post_orders(simulator) == sent_before  # the other order still waited


def test_a_429_while_the_cache_is_down_still_pauses_the_key(
    placed,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    connection_id = placed.reseller.connection_id
    with mock.patch.object(
        connection_pause, "_cache_raise", side_effect=ConnectionError("Redis is down")
    ):
        with mock.patch.object(cache, "get_many", side_effect=ConnectionError("Redis is down")):
            with django_capture_on_commit_callbacks(execute=True):
                ConnectionPause(connection_id).pause(20)
            assert ConnectionPause(connection_id).paused_for() > 15
    assert ConnectionPause(connection_id).paused_for() > 15  # and once it is back


def test_two_429s_at_once_leave_the_later_end(placed):  # noqa: F811
    connection_id = placed.reseller.connection_id
    budget.pause_connection(connection_id, 30)
    budget.pause_connection(connection_id, 5)  # an earlier end, written last
    assert ConnectionPause(connection_id).paused_for() > 25
