"""The tracker hears of every failed order and watches only one refused for the relationship."""

import pytest

from orders.error_catalogue import catalogue_entry
from orders.lifecycle import Actor, order_transition
from relationships.models import RelationshipWatch
from tests.factories import CustomerFactory, OrderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("message", "advice_of", "watched"),
    [
        # A refusal of the order as sent (submission.py's path): the catalogue's advice.
        ("Partner Center 20002: no commerce relationship", "relationship", True),
        # A provisioning failure read from the order (polling's path), whatever its code.
        ("The marketplace could not provision the order (status failed, 20002).", None, False),
    ],
)
def test_only_a_refusal_for_the_relationship_is_watched(
    message, advice_of, watched, django_capture_on_commit_callbacks
):
    order = OrderFactory(customer=CustomerFactory(tenant_domain="litware.onmicrosoft.com"))
    order_transition(order, "claim_for_submission", actor=Actor.WORKER, cause="sending")
    advice = catalogue_entry(advice_of or "provisioning_failed").advice
    with django_capture_on_commit_callbacks(execute=True):
        order_transition(
            order,
            "fail",
            actor=Actor.UPSTREAM,
            cause=message,
            changes={"failure_message": message, "failure_guidance": advice},
        )
    assert RelationshipWatch.objects.filter(order=order).exists() is watched
    assert order.events.get(action="fail").receipts.filter(listener="relationships.watch").exists()
