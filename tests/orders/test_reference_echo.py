"""A marketplace that loses our reference in poNumber can no longer prove "never created".

The simulator keeps poNumber as sent, as the spec says; a marketplace that
does not is played by handing the check the simulator's own order detail with
its poNumber replaced.
"""

import dataclasses

import pytest
from django.test import override_settings

from customers.models import MarketplaceConnection
from orders.models import Order
from orders.pipeline import reconciliation, submission
from orders.pipeline.reference_echo import REFERENCE_DROPPED, reference_echo_check
from tests.factories import UserFactory

from .helpers import place_for
from .simulated import plain_products

pytestmark = pytest.mark.django_db


def placed_order(customer) -> Order:
    return place_for(
        customer,
        plain_products(1),
        placed_by=UserFactory(reseller=customer.reseller),
        channel="wizard",
        domain_prefix="litware",
    )


@pytest.fixture
def submitted(upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks):
    """An order sent to the simulator, and its detail as the marketplace returns it."""
    order = placed_order(upstream_customer)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    order = Order.objects.get(pk=order.pk)
    return order, simulator.client().get_order(order_id=order.upstream_order_id)


def test_a_detail_that_keeps_our_reference_marks_nothing(submitted):
    order, detail = submitted
    reference_echo_check(order, detail)
    assert MarketplaceConnection.objects.get().reference_dropped_at is None
    assert not order.events.filter(action=REFERENCE_DROPPED).exists()


def test_a_detail_without_our_reference_marks_the_connection_once(submitted):
    order, detail = submitted
    rewritten = dataclasses.replace(detail, po_number="PO 4471")
    reference_echo_check(order, rewritten)
    reference_echo_check(order, rewritten)
    connection = MarketplaceConnection.objects.get()
    assert connection.reference_dropped_at is not None
    assert connection.reference_dropped_order == order.reference
    event = order.events.get(action=REFERENCE_DROPPED)
    assert "PO 4471" in event.cause


@override_settings(ORDERS_PIPELINE={"RECONCILE_SETTLE_SECONDS": 0})
def test_then_an_order_not_found_goes_to_a_person_and_is_not_sent_again(
    submitted, upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks
):
    order, detail = submitted
    reference_echo_check(order, dataclasses.replace(detail, po_number=""))
    lost = placed_order(upstream_customer)
    simulator.fail(kind="drop", when="before", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(lost.pk)
    with django_capture_on_commit_callbacks(execute=True):
        reconciliation.order_reconcile(lost.pk)
    lost = Order.objects.get(pk=lost.pk)
    assert lost.status == Order.Status.UNKNOWN
    assert reconciliation.orders_needing_a_person().filter(pk=lost.pk).exists()
    assert order.reference in lost.events.get(action=reconciliation.ESCALATED).cause
    assert ("orders.submit_order", lost.pk, None) not in enqueued
    assert simulator.orders_with(lost.reference) == 0
