"""A subscription's history reaches listeners after commit, at least once, and is never edited.

The listener here is registered for the test alone (``listening``): the product's own listeners
of subscription events (webhooks) have their own tests.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from orders import outbox, subscription_events
from orders.models import ImmutableRowError, SubscriptionEvent, SubscriptionEventReceipt
from orders.subscription_events import Actor, Kind, subscription_record
from orders.tasks import redeliver_events
from tests.factories import AdoptedSubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listening(monkeypatch):
    def register(kind, *, fail=False, name="test.listener"):
        heard = []

        def handle(event):
            heard.append(event.pk)
            if fail:
                raise RuntimeError("the listener broke")

        listener = outbox.Listener(kind=kind, name=name, handle=handle)
        monkeypatch.setitem(subscription_events._listeners, (kind, name), listener)
        return heard

    return register


def _record(subscription, kind=Kind.CHANGED_OUTSIDE):
    return subscription_record(
        subscription,
        kind,
        actor=Actor.UPSTREAM,
        cause="Seats went from 5 to 7 at the marketplace.",
        details={"before": {"seats": 5}, "after": {"seats": 7}},
    )


def test_the_listener_hears_after_commit_once_with_a_receipt(
    listening, django_capture_on_commit_callbacks
):
    heard = listening(Kind.CHANGED_OUTSIDE)
    subscription = AdoptedSubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event = _record(subscription)
        assert heard == []
    for callback in callbacks:
        callback()
    assert heard == [event.pk]
    assert (
        SubscriptionEventReceipt.objects.filter(event=event, listener="test.listener").count() == 1
    )
    assert subscription.history.get().details["after"] == {"seats": 7}


def test_a_rolled_back_change_tells_nobody(listening, django_capture_on_commit_callbacks):
    heard = listening(Kind.CHANGED_OUTSIDE)
    subscription = AdoptedSubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _record(subscription)
            raise RuntimeError("the change failed")
    assert heard == [] and not SubscriptionEvent.objects.exists()


def test_a_failed_listener_is_told_again_by_the_beat_and_only_once(
    listening, django_capture_on_commit_callbacks
):
    listening(Kind.CANCELLED_OUTSIDE, fail=True)
    subscription = AdoptedSubscriptionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event = _record(subscription, Kind.CANCELLED_OUTSIDE)
    assert not SubscriptionEventReceipt.objects.filter(listener="test.listener").exists()

    heard = listening(Kind.CANCELLED_OUTSIDE)  # mended
    grace = outbox.REDELIVER_GRACE + timedelta(seconds=1)
    with time_machine.travel(timezone.now() + grace):
        assert redeliver_events() >= 1
        redeliver_events()
    assert heard == [event.pk]
    assert (
        SubscriptionEventReceipt.objects.filter(event=event, listener="test.listener").count() == 1
    )


def test_history_is_never_edited_or_deleted():
    event = _record(AdoptedSubscriptionFactory())
    event.cause = "rewritten"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
