"""Orders' e-mails are listeners of order events: once per event, and never at the order's cost.

The orders go through the product's own submission into the simulator over HTTP; the one thing
faked is a fault in the mail listener (``broken``), since nothing real makes it fail on demand.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from orders import events, listeners, outbox
from orders.models import EventReceipt, Order
from orders.pipeline import submission

from .test_pipeline_decisions import placed, reload  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _refused(order, simulator, django_capture_on_commit_callbacks):
    simulator.fail(kind="business", error="mca_missing", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    order = reload(order)
    assert order.status == Order.Status.FAILED
    return order, order.events.get(action="fail")


def _failure_mails(order):
    return [m for m in mail.outbox if m.subject == f"Order {order.reference} failed: action needed"]


def _past_the_grace():
    return time_machine.travel(timezone.now() + outbox.REDELIVER_GRACE + timedelta(seconds=1))


@pytest.fixture
def broken(monkeypatch):
    """The mail listener fails (a fault injected for the test) until the test mends it."""

    def fail(order_event):
        raise RuntimeError("the mail listener broke")

    monkeypatch.setattr(events, "failure_of", fail)
    return lambda: monkeypatch.undo()


def test_a_mail_listener_that_fails_keeps_the_order_and_the_beat_sends_the_mail_once(
    placed,  # noqa: F811
    simulator,
    enqueued,
    broken,
    django_capture_on_commit_callbacks,
    caplog,
):
    order, failed = _refused(placed, simulator, django_capture_on_commit_callbacks)
    # The refusal is kept, its other listeners were told; the mail listener left no receipt.
    assert "refused the order" in order.events.get(action="fail").cause
    assert _failure_mails(order) == []
    told = set(failed.receipts.values_list("listener", flat=True))
    assert "webhooks" in told and listeners.LISTENER not in told
    assert f"listener {listeners.LISTENER} failed" in caplog.text

    broken()  # mended
    with _past_the_grace(), django_capture_on_commit_callbacks(execute=True):
        assert events.events_redeliver() == 1
    with _past_the_grace(), django_capture_on_commit_callbacks(execute=True):
        assert events.events_redeliver() == 0
    assert len(_failure_mails(order)) == 1
    assert failed.receipts.filter(listener=listeners.LISTENER).count() == 1
    assert reload(order).status == Order.Status.FAILED


def test_an_event_told_again_sends_no_second_mail(
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    order, failed = _refused(placed, simulator, django_capture_on_commit_callbacks)
    assert len(_failure_mails(order)) == 1
    mail_listener = events._listeners[(events.Kind.FAILED, listeners.LISTENER)]
    with django_capture_on_commit_callbacks(execute=True):
        assert events.event_deliver(failed, mail_listener) is False  # its receipt is there
    with _past_the_grace(), django_capture_on_commit_callbacks(execute=True):
        assert events.events_redeliver() == 0
    assert len(_failure_mails(order)) == 1
    assert EventReceipt.objects.filter(event=failed, listener=listeners.LISTENER).count() == 1


def test_an_order_that_could_not_be_mapped_fails_without_a_mail(
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    customer = placed.customer
    customer.upstream_customer_id = ""  # not registered with the marketplace: nothing to send
    customer.save(update_fields=["upstream_customer_id"])
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    order = reload(placed)
    assert order.status == Order.Status.FAILED
    assert "not registered with the marketplace" in order.failure_message
    failed = order.events.get(action="fail")
    assert events.failure_of(failed) == events.Failure.NOT_MAPPED
    # The listener was told (its receipt is there) and decided: no mail, no mail task.
    assert failed.receipts.filter(listener=listeners.LISTENER).exists()
    assert mail.outbox == []
    assert [name for name, _, _ in enqueued if name.startswith("orders.notify")] == []
