"""Never twice: a lost answer is found among many newer orders, and a 429 pauses every sender.

Against the in-process simulator, through the pipeline's own submit and
reconcile functions. The customer's other orders are placed through the
product too, so the search wades through real upstream orders.
"""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from orders.pipeline import reconciliation, submission
from orders.pipeline.budget import paused_until
from orders.services import order_place
from tests.factories import UserFactory

from .helpers import order_request
from .simulated import plain_products
from .test_pipeline_decisions import placed  # noqa: F401  (the same placed order fixture)

pytestmark = pytest.mark.django_db


def place_and_send(customer, count, callbacks):
    buyer = UserFactory(reseller=customer.reseller)
    for _ in range(count):
        order = order_place(
            request=order_request(
                customer,
                plain_products(1),
                microsoft_domain=f"busy{uuid.uuid4().hex[:10]}.onmicrosoft.com",
            ),
            reseller=customer.reseller,
            placed_by=buyer,
            idempotency_key=uuid.uuid4(),
            ip_address=None,
            channel=Order.Channel.WIZARD,
        )
        with callbacks(execute=True):
            submission.order_submit(order.pk)


def post_orders(simulator) -> int:
    return sum(n for key, n in simulator.stats()["requests"].items() if key.startswith("POST"))


def test_a_lost_answer_is_found_behind_80_newer_orders_and_never_sent_again(
    placed,  # noqa: F811
    simulator,
    enqueued,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ORDERS_PIPELINE = {**settings.ORDERS_PIPELINE, "RECONCILE_PAGE_SIZE": 25}
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.UNKNOWN
    place_and_send(placed.customer, 80, django_capture_on_commit_callbacks)

    # Past the settling period: a search that missed it would release it for a second POST.
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            reconciliation.order_reconcile(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.SUBMITTED
    assert simulator.orders_with(placed.reference) == 1
    covered = placed.exchanges.filter(operation="search_orders").last().response_body
    # Newest first, 25 a page: ours is the oldest of 81, on page 4; the 80 others are
    # known to be other orders of ours and are not opened.
    assert (covered["pages"], covered["listed"], covered["opened"], covered["skipped"]) == (
        4,
        81,
        1,
        80,
    )


def test_a_429_pauses_the_connection_for_the_next_order_too(
    placed,  # noqa: F811
    simulator,
    enqueued,
    django_capture_on_commit_callbacks,
):
    simulator.fail(kind="status", status=429, retryAfter=30, method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.PLACED  # nothing was created: sent again later
    until = paused_until(placed.reseller.connection_id)
    assert until is not None and until - timezone.now() > timedelta(seconds=25)

    sent_before = post_orders(simulator)
    place_and_send(placed.customer, 1, django_capture_on_commit_callbacks)
    assert post_orders(simulator) == sent_before  # the other order waited too
    assert simulator.orders_with(placed.reference) == 0


def test_an_unsettled_search_goes_to_a_person_and_never_to_the_wire(
    placed,  # noqa: F811
    simulator,
    enqueued,
    settings,
    backoff_waits,
    client,
    admin_user,
    django_capture_on_commit_callbacks,
):
    settings.ORDERS_PIPELINE = {**settings.ORDERS_PIPELINE, "RECONCILE_MAX_INCOMPLETE": 1}
    simulator.fail(kind="drop", when="after", method="POST", path="/orders", count=1)
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(placed.pk)
    simulator.fail(kind="status", status=503, method="GET", path="/orders", count=20)

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        with django_capture_on_commit_callbacks(execute=True):
            reconciliation.order_reconcile(placed.pk)
    placed.refresh_from_db()
    assert placed.status == Order.Status.UNKNOWN
    assert placed.events.filter(action="reconcile_escalated").exists()
    assert simulator.orders_with(placed.reference) == 1

    client.force_login(UserFactory(support=True))
    support = client.get(reverse("support:search")).content.decode()
    assert "Orders that need a person" in support and placed.reference in support
    client.force_login(admin_user)
    listed = client.get(reverse("admin:orders_order_changelist"), {"needs_person": "yes"})
    assert placed.reference in listed.content.decode()
