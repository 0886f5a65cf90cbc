import pytest
from django_fsm import TransitionNotAllowed

from orders.models import ImmutableRowError, Order, OrderEvent
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_an_order_cannot_jump_from_placed_to_completed():
    order = OrderFactory()
    with pytest.raises(TransitionNotAllowed):
        order.complete()
    assert order.status == Order.Status.PLACED


def test_an_order_event_cannot_be_edited_or_deleted():
    order = OrderFactory()
    event = OrderEvent.objects.create(
        order=order, to_status="placed", action="place", cause="test", actor="system"
    )
    event.cause = "rewritten"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    event.refresh_from_db()
    assert event.cause == "test"
