"""Reseller approval of self-service orders: held until approved, never sent when declined.

The end customer walks the real self-service wizard against the in-process
simulator; the reseller acts through the approval queue's pages.
"""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from catalog.models import Cart
from orders.models import Order
from orders.pipeline import submission, sweeping
from tests.factories import CartLineFactory, CustomerFactory, UserFactory

from .conftest import product
from .simulated import WOODGROVE
from .test_self_service import buy, follow, post_step, sign_in, start

pytestmark = pytest.mark.django_db

QUEUE = reverse("approvals:queue")


@pytest.fixture
def approving(northwind):
    northwind.self_service_enabled = True
    northwind.self_service_approval_required = True
    northwind.save()
    return northwind


@pytest.fixture
def woodgrove(approving):
    return CustomerFactory(
        reseller=approving,
        company_name="Woodgrove Bank",
        upstream_customer_id=WOODGROVE["id"],
        tenant_domain=WOODGROVE["tenant"],
        mca_accepted_on=date(2025, 5, 1),
    )


@pytest.fixture
def staff(approving):
    return UserFactory(reseller=approving, email="nora@northwind-it.example")


def customer_buys(client, customer):
    user = sign_in(client, customer)
    user.email = "grace@woodgrove.example"
    user.save()
    cart, _ = Cart.objects.get_or_create(user=user)
    CartLineFactory(cart=cart, product=product(), quantity=4)
    follow(client, start(client), "qualification")
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    confirmation, _ = buy(client)
    return confirmation.context["order"]


def test_a_held_order_is_never_sent_before_approval(
    client, woodgrove, staff, simulator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = customer_buys(client, woodgrove)

    assert order.status == Order.Status.AWAITING_APPROVAL
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert "asks you to approve" in mail.outbox[0].subject
    # Neither the sweeper nor a stray submit task sends it.
    sweeping.sweep()
    submission.order_submit(order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_APPROVAL
    assert simulator.orders_with(order.reference) == 0
    page = client.get(reverse("orders:detail", args=[order.reference])).content.decode()
    assert "Your reseller reviews self-service orders" in page


def test_the_confirmation_of_a_held_order_says_it_waits_for_the_reseller(
    client, woodgrove, staff, simulator
):
    user = sign_in(client, woodgrove)
    cart, _ = Cart.objects.get_or_create(user=user)
    CartLineFactory(cart=cart, product=product(), quantity=4)
    follow(client, start(client), "qualification")
    follow(client, post_step(client, "qualification", {"special_qualification": "None"}), "review")
    confirmation, _ = buy(client)
    page = confirmation.content.decode()

    assert confirmation.context["order"].status == Order.Status.AWAITING_APPROVAL
    assert "Northwind IT reviews self-service orders before they are sent" in page
    assert "sending it to the marketplace now" not in page
    assert "You can cancel it within 7 days" not in page


def test_approved_it_is_sent_once_and_the_customer_is_told(
    client,
    woodgrove,
    staff,
    simulator,
    enqueued,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    order = customer_buys(client, woodgrove)
    client.force_login(staff)
    queue = client.get(QUEUE).content.decode()
    assert order.reference in queue and "Woodgrove Bank" in queue

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("approvals:approve", args=[order.reference]))
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert ("orders.submit_order", order.pk, None) in enqueued
    assert [m.to for m in mail.outbox] == [["grace@woodgrove.example"]]
    assert "approved" in mail.outbox[0].subject
    event = order.events.get(action="approve")
    assert (event.actor_user, event.from_status, event.to_status) == (
        staff,
        "awaiting_approval",
        "placed",
    )

    submission.order_submit(order.pk)
    assert simulator.orders_with(order.reference) == 1
    queue = client.get(QUEUE).content.decode()
    assert reverse("approvals:approve", args=[order.reference]) not in queue
    assert "No order is waiting for your approval." in queue


def test_declined_with_a_reason_the_customer_reads(
    client, woodgrove, staff, simulator, django_capture_on_commit_callbacks
):
    order = customer_buys(client, woodgrove)
    client.force_login(staff)

    empty = client.post(reverse("approvals:decline", args=[order.reference]), {})
    assert empty.status_code == 400
    assert "Say why the order is declined" in empty.content.decode()

    mail.outbox.clear()
    field = f"{order.reference}-reason"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("approvals:decline", args=[order.reference]),
            {field: "Budget frozen until January."},
        )
    order.refresh_from_db()
    assert order.status == Order.Status.DECLINED
    assert "Budget frozen until January." in mail.outbox[0].body
    assert simulator.orders_with(order.reference) == 0

    client.force_login(woodgrove.users.get())
    page = client.get(reverse("orders:detail", args=[order.reference])).content.decode()
    assert "Declined by Northwind IT" in page and "Budget frozen until January." in page
    # A decision is final.
    client.force_login(staff)
    client.post(reverse("approvals:approve", args=[order.reference]))
    order.refresh_from_db()
    assert order.status == Order.Status.DECLINED


def test_only_the_owning_resellers_staff_decide(client, woodgrove, simulator):
    order = customer_buys(client, woodgrove)
    url = reverse("approvals:approve", args=[order.reference])

    client.force_login(UserFactory())  # staff of another reseller
    assert client.post(url).status_code == 404
    client.force_login(UserFactory(support=True))
    assert client.post(url).status_code == 403
    client.force_login(woodgrove.users.get())
    assert client.post(url).status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_APPROVAL


def test_without_the_setting_self_service_orders_go_straight_out(
    client, woodgrove, approving, simulator
):
    approving.self_service_approval_required = False
    approving.save()
    assert customer_buys(client, woodgrove).status == Order.Status.PLACED


def test_the_reseller_turns_approval_on_from_its_partner_page(client, northwind):
    staff = UserFactory(reseller=northwind)
    client.force_login(staff)
    client.post(
        reverse("customers:preferences"),
        {"time_zone": "UTC", "self_service_approval_required": "on"},
    )
    northwind.refresh_from_db()
    assert northwind.self_service_approval_required
    assert QUEUE in client.get(reverse("home")).content.decode()
