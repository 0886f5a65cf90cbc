"""An order the marketplace leaves provisioning (the simulator's ``stuck`` outcome).

The order goes through the pipeline's own submit and poll into the in-process simulator,
which keeps it in LO. The admin's three recorded ways out (re-poll now, escalate with the
marketplace's correlation ids, close with a reason) each leave an event naming the admin;
the reseller's order page says in words what is happening.
"""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from orders.pipeline import polling, submission
from tests.factories import UserFactory

from .helpers import place_for
from .simulated import plain_products

pytestmark = pytest.mark.django_db

STUCK_AFTER = {"STUCK_AFTER_SECONDS": 3600}


@pytest.fixture
def stuck(upstream_customer, simulator, enqueued, django_capture_on_commit_callbacks):
    """An order sent to the simulator, which keeps provisioning it however often it is polled."""
    simulator.fail(kind="order_outcome", outcome="stuck", count=1)
    buyer = UserFactory(reseller=upstream_customer.reseller, email="nora@northwind.example")
    order = place_for(upstream_customer, plain_products(1), placed_by=buyer, channel="wizard")
    with django_capture_on_commit_callbacks(execute=True):
        submission.order_submit(order.pk)
    for _ in range(3):
        simulator.advance(600)
        with django_capture_on_commit_callbacks(execute=True):
            polling.order_poll(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.PROCESSING and order.upstream_status_code == "LO"
    order.buyer = buyer
    return order


def provisioning_for(order, *, hours):
    """Let ``order`` have been accepted upstream ``hours`` ago (the simulator keeps it LO)."""
    Order.objects.filter(pk=order.pk).update(submitted_at=timezone.now() - timedelta(hours=hours))


def act(client, action, order, **extra):
    return client.post(
        reverse("admin:orders_order_changelist"),
        {"action": action, "_selected_action": [order.pk], **extra},
        follow=True,
    )


@override_settings(ORDERS_PIPELINE=STUCK_AFTER)
def test_the_reseller_reads_what_is_happening_once_the_order_is_stuck(client, stuck):
    client.force_login(stuck.buyer)
    url = reverse("orders:detail", args=[stuck.reference])
    assert "taking longer than usual" not in client.get(url).content.decode()

    provisioning_for(stuck, hours=2)
    page = client.get(url).content.decode()
    assert "The marketplace is taking longer than usual" in page
    assert stuck.upstream_order_number in page and "Nothing is needed from you" in page


@override_settings(ORDERS_PIPELINE=STUCK_AFTER)
def test_the_admin_repolls_escalates_and_closes_each_recorded_with_who(
    client, admin_user, stuck, enqueued, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "repoll", stuck)
    repoll = stuck.events.get(action="admin_repoll")
    assert repoll.actor_user == admin_user
    assert ("orders.poll_order", stuck.pk, None) in enqueued

    answer = act(client, "escalate", stuck).content.decode()
    escalation = stuck.events.get(action="escalate")
    assert escalation.actor_user == admin_user and escalation.actor == "admin"
    ids = list(stuck.exchanges.exclude(correlation_id="").values_list("correlation_id", flat=True))
    assert ids and escalation.correlation_id in ids
    assert stuck.upstream_order_number in escalation.cause
    assert all(i in escalation.cause for i in ids[-3:])  # the newest ones are quoted
    assert escalation.correlation_id in answer  # the text to send, shown to the admin

    client.force_login(stuck.buyer)
    provisioning_for(stuck, hours=2)
    page = client.get(reverse("orders:detail", args=[stuck.reference])).content.decode()
    assert "Our support asked the distributor about it" in page

    client.force_login(admin_user)
    asked = act(client, "close_stuck", stuck)
    assert "Reason, as the distributor stated it" in asked.content.decode()
    assert Order.objects.get(pk=stuck.pk).status == Order.Status.PROCESSING
    history_before = list(stuck.events.order_by("pk").values_list("pk", "action", "cause"))

    with django_capture_on_commit_callbacks(execute=True):
        act(client, "close_stuck", stuck, apply="yes", reason="Cancelled upstream by Microsoft.")
    stuck.refresh_from_db()
    assert stuck.status == Order.Status.FAILED
    closing = stuck.events.get(action="fail")
    assert (closing.from_status, closing.actor_user) == ("processing", admin_user)
    assert "Cancelled upstream by Microsoft." in closing.cause
    assert "Cancelled upstream by Microsoft." in stuck.failure_message
    assert (
        list(
            stuck.events.filter(pk__lte=history_before[-1][0])
            .order_by("pk")
            .values_list("pk", "action", "cause")
        )
        == history_before
    )  # nothing earlier was rewritten
    assert ("orders.notify_failure", stuck.pk, None) in enqueued
    client.force_login(stuck.buyer)
    page = client.get(reverse("orders:detail", args=[stuck.reference])).content.decode()
    assert "Closed by support." in page and "Cancelled upstream by Microsoft." in page


def test_the_admin_page_of_a_processing_order_does_not_claim_it_completed(
    client, admin_user, stuck
):
    client.force_login(admin_user)
    page = client.get(reverse("admin:orders_order_change", args=[stuck.pk])).content.decode()
    assert "Completed upstream, as a list" not in page
    assert "Unticked says nothing about completion" in page
