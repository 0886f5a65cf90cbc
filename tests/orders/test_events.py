"""Order events reach the listeners other apps register, after commit and at least once.

The listeners here are the product's own (webhooks, the relationship tracker) or, to make
one fail on purpose, a listener registered for the test alone (``listening``).
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from orders import events, outbox
from orders.lifecycle import Actor, order_record, order_transition
from orders.models import EventReceipt, Order, OrderEvent
from tests.factories import OrderFactory
from webhooks.models import Endpoint, Event, Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(monkeypatch):
    """Register a listener for the test (removed after it); return the events it was handed."""
    heard = []

    def register(kind, *, fail=False, name="test.listener"):
        def handle(event):
            heard.append(event.pk)
            OrderEvent.objects.create(
                order=event.order, action="heard", cause="the listener's own write", actor="system"
            )
            if fail:
                raise RuntimeError("the listener broke")

        monkeypatch.setitem(
            events._listeners, (kind, name), outbox.Listener(kind=kind, name=name, handle=handle)
        )
        return heard

    return register


def _submitted(order):
    order_transition(order, "claim_for_submission", actor=Actor.WORKER, cause="sending")
    return order_transition(order, "accept", actor=Actor.UPSTREAM, cause="accepted")


def _past_the_grace():
    return time_machine.travel(timezone.now() + outbox.REDELIVER_GRACE + timedelta(seconds=1))


def test_a_listener_hears_of_the_event_after_commit_with_its_id_and_leaves_a_receipt(
    listening, django_capture_on_commit_callbacks
):
    heard = listening(events.Kind.SUBMITTED)
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _submitted(order)
    assert heard == []  # not before the commit
    for callback in callbacks:
        callback()
    event = order.events.get(action="accept")
    assert heard == [event.pk]
    assert EventReceipt.objects.filter(event=event, listener="test.listener").exists()


def test_an_event_of_a_rolled_back_change_is_neither_recorded_nor_told(
    listening, django_capture_on_commit_callbacks
):
    heard = listening(events.Kind.SUBMITTED)
    order = OrderFactory()
    order_transition(order, "claim_for_submission", actor=Actor.WORKER, cause="sending")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            order_transition(order, "accept", actor=Actor.UPSTREAM, cause="accepted")
            raise RuntimeError("what followed the move in its transaction failed")
    assert not order.events.filter(action="accept").exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.SUBMITTING
    assert heard == []


def test_a_listener_that_fails_keeps_the_order_and_is_told_again_by_the_beat(
    listening, django_capture_on_commit_callbacks, caplog
):
    heard = listening(events.Kind.SUBMITTED, fail=True)
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _submitted(order)
    event = order.events.get(action="accept")
    # The order moved and its event stays; what the listener wrote was rolled back.
    assert Order.objects.get(pk=order.pk).status == Order.Status.SUBMITTED
    assert not order.events.filter(action="heard").exists()
    assert not EventReceipt.objects.filter(event=event, listener="test.listener").exists()
    assert "listener test.listener failed" in caplog.text

    listening(events.Kind.SUBMITTED)  # mended
    assert events.events_redeliver() == 0  # left to its first delivery for the grace
    with _past_the_grace():
        assert events.events_redeliver() == 1
        assert events.events_redeliver() == 0  # once it has its receipt
    assert heard == [event.pk, event.pk]  # the failed delivery, then the beat's
    assert order.events.filter(action="heard").count() == 1


def test_an_event_whose_delivery_was_lost_is_handed_out_by_the_beat(listening):
    heard = listening(events.Kind.SUBMITTED)
    order = OrderFactory()
    _submitted(order)  # committed, and the worker died before its callbacks ran
    assert heard == []
    with _past_the_grace():
        events.events_redeliver()
    event = order.events.get(action="accept")
    assert heard == [event.pk]
    # Every listener of the kind was told, the product's own (webhooks) too.
    assert {"test.listener", "webhooks"} <= set(event.receipts.values_list("listener", flat=True))


def test_a_second_delivery_of_the_same_event_is_rolled_back_whole(listening):
    heard = listening(events.Kind.SUBMITTED)
    order = OrderFactory()
    _submitted(order)
    event = order.events.get(action="accept")
    listener = events._listeners[(events.Kind.SUBMITTED, "test.listener")]
    assert events.event_deliver(event, listener) is True
    assert events.event_deliver(event, listener) is False
    assert heard == [event.pk, event.pk]  # told twice (at least once) ...
    assert order.events.filter(action="heard").count() == 1  # ... its write kept once


def test_events_before_receipts_existed_are_not_handed_out_again(listening):
    order = OrderFactory()
    _submitted(order)
    earlier = order.events.get(action="accept")
    EventReceipt.objects.create(event=earlier, listener=EventReceipt.OUTBOX_START)
    heard = listening(events.Kind.SUBMITTED)
    later = OrderFactory()
    _submitted(later)
    with _past_the_grace():
        events.events_redeliver()
    assert heard == [later.events.get(action="accept").pk]


def test_a_history_only_record_is_told_to_nobody(listening, django_capture_on_commit_callbacks):
    for kind in events.Kind:
        listening(kind, name=f"test.{kind}")
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order_record(order, "repoll", actor=Actor.SYSTEM, cause="asked")
    assert callbacks == []


@pytest.mark.parametrize(
    ("kind", "transitions", "expected"),
    [
        (Order.Kind.SALES, ["claim_for_submission", "accept"], [None, events.Kind.SUBMITTED]),
        (Order.Kind.SALES, ["claim_for_submission", "fail"], [None, events.Kind.FAILED]),
        (
            Order.Kind.CHANGE,
            ["claim_for_submission", "accept", "complete"],
            [None, events.Kind.SUBMITTED, events.Kind.SEATS_CHANGED],
        ),
        (
            Order.Kind.SALES,
            ["claim_for_submission", "accept", "complete"],
            [None, events.Kind.SUBMITTED, events.Kind.COMPLETED],
        ),
    ],
)
def test_each_transition_is_of_the_kind_its_listeners_expect(kind, transitions, expected):
    order = OrderFactory(kind=kind)
    seen = []
    for name in transitions:
        order_transition(order, name, actor=Actor.SYSTEM, cause=name)
        event = order.events.get(action=name)
        kinds = events.event_kinds(event)
        seen.append(kinds[0] if kinds else None)
        # The beat's SQL reading of a kind agrees with the one used when publishing.
        for rule in events.RULES:
            in_sql = OrderEvent.objects.filter(rule.rows(), pk=event.pk).exists()
            assert in_sql == (rule.kind in kinds), (name, rule.kind)
    assert seen == expected


def test_a_webhook_lost_after_commit_is_made_once_by_the_beat(settings):
    order = OrderFactory()
    Endpoint.objects.create(
        reseller=order.reseller, url="https://hooks.example/in", events=[Event.SUBMITTED]
    )
    _submitted(order)  # the callbacks never ran
    assert not Message.objects.exists()
    with _past_the_grace():
        events.events_redeliver()
        events.events_redeliver()
    message = Message.objects.get()
    assert message.event_type == Event.SUBMITTED and message.order_id == order.pk


@pytest.mark.parametrize(
    ("status", "transition", "expected"),
    [
        (Order.Status.AWAITING_APPROVAL, "approve", events.Kind.APPROVED),
        (Order.Status.AWAITING_APPROVAL, "decline", events.Kind.DECLINED),
        (Order.Status.COMPLETED, "request_cancellation", events.Kind.CANCELLATION_REQUESTED),
    ],
)
def test_the_decisions_and_requests_orders_mail_about_are_kinds_of_their_own(
    status, transition, expected
):
    order = OrderFactory(status=status)
    order_transition(order, transition, actor=Actor.RESELLER, cause=transition)
    event = order.events.get(action=transition)
    assert events.event_kinds(event) == [expected]
    for rule in events.RULES:
        in_sql = OrderEvent.objects.filter(rule.rows(), pk=event.pk).exists()
        assert in_sql == (rule.kind == expected), rule.kind
