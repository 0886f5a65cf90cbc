"""Admin actions on orders are recorded with the admin as actor; nothing is deleted."""

import pytest
from django.urls import reverse

from orders.models import Order
from tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user, monkeypatch):
    client.force_login(admin_user)
    return client


def act(client, action, *orders):
    return client.post(
        reverse("admin:orders_order_changelist"),
        {"action": action, "_selected_action": [o.pk for o in orders]},
        follow=True,
    )


@pytest.mark.parametrize(
    "action, status, event_action, task",
    [
        ("repoll", "processing", "admin_repoll", "orders.poll_order"),
        ("reconcile", "unknown", "admin_reconcile", "orders.reconcile_order"),
        ("reconcile", "submitting", "lose_track", "orders.reconcile_order"),
        ("resubmit", "failed", "resubmit", "orders.submit_order"),
    ],
)
def test_each_action_is_recorded_with_the_admin_as_actor(
    admin_client,
    admin_user,
    enqueued,
    action,
    status,
    event_action,
    task,
    django_capture_on_commit_callbacks,
):
    order = OrderFactory(status=status)
    skipped = OrderFactory(status="completed")
    with django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, action, order, skipped)
    assert "1 skipped" in response.content.decode()
    event = order.events.get(action=event_action)
    assert event.actor == "admin" and event.actor_user == admin_user
    assert enqueued == [(task, order.pk, None)]
    assert not skipped.events.exists()


def test_orders_cannot_be_deleted_or_edited_in_the_admin(admin_client):
    order = OrderFactory()
    page = admin_client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    delete = admin_client.get(reverse("admin:orders_order_delete", args=[order.pk]))
    assert delete.status_code == 403
    changelist = admin_client.get(reverse("admin:orders_order_changelist"), {"q": order.reference})
    assert order.reference in changelist.content.decode()
    assert b"delete_selected" not in changelist.content
    assert Order.objects.filter(pk=order.pk).exists()
