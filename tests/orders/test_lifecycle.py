import pytest

from orders.lifecycle import Actor, TransitionRefused, order_record, order_transition
from orders.models import Order, OrderEvent
from tests.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_transition_moves_the_order_saves_changes_and_records_who_and_why():
    order = OrderFactory()
    order_transition(
        order,
        "claim_for_submission",
        actor=Actor.WORKER,
        cause="sending",
        changes={"submit_attempts": 1},
    )
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTING
    assert order.submit_attempts == 1
    event = order.events.get()
    assert (event.from_status, event.to_status, event.action) == (
        "placed",
        "submitting",
        "claim_for_submission",
    )
    assert event.actor == "worker" and event.cause == "sending"


def test_an_illegal_move_is_refused_and_leaves_no_trace():
    order = OrderFactory()
    with pytest.raises(TransitionRefused):
        order_transition(order, "complete", actor=Actor.UPSTREAM, cause="no")
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert not order.events.exists()


def test_a_stale_copy_loses_the_race_to_claim():
    order = OrderFactory()
    first = Order.objects.get(pk=order.pk)
    second = Order.objects.get(pk=order.pk)
    order_transition(first, "claim_for_submission", actor=Actor.WORKER, cause="worker 1")
    with pytest.raises(TransitionRefused) as refused:
        order_transition(second, "claim_for_submission", actor=Actor.WORKER, cause="worker 2")
    assert refused.value.current_status == Order.Status.SUBMITTING
    assert second.status == Order.Status.SUBMITTING
    assert list(order.events.values_list("cause", flat=True)) == ["worker 1"]


def test_an_unknown_transition_name_is_a_programming_error():
    with pytest.raises(ValueError):
        order_transition(OrderFactory(), "teleport", actor=Actor.SYSTEM, cause="x")


def test_an_action_without_a_move_is_recorded_with_the_admin_as_actor():
    order = OrderFactory()
    admin = UserFactory(admin=True)
    order_record(order, "repoll", actor=Actor.ADMIN, actor_user=admin, cause="asked from admin")
    event = OrderEvent.objects.get(order=order)
    assert event.from_status == event.to_status == "placed"
    assert event.actor_user == admin
