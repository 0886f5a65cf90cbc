"""Cancellation reminders: 48 and 24 hours before a seat batch's refund window closes, once each."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orders.models import SeatBatch
from orders.services.changes import seat_change
from reminders.models import CancellationReminder
from reminders.services import cancellation_reminders_send
from tests.orders.helpers import complete_through_simulator, completed_order
from tests.orders.simulated import plain_products
from tests.smtp import refuse_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(
    upstream_customer, upstream_reseller, simulator, enqueued, django_capture_on_commit_callbacks
):
    upstream_reseller.time_zone = "Europe/Berlin"
    upstream_reseller.save()
    order = completed_order(
        upstream_customer,
        plain_products(1),
        simulator,
        django_capture_on_commit_callbacks,
        email="buyer@northwind.example",
    )
    mail.outbox.clear()
    return order


def window_end(order):
    return SeatBatch.objects.get(order=order).window_ends_at


def test_reminded_at_48_and_24_hours_once_each_and_never_after_the_window(completed):
    closes = window_end(completed)

    with time_machine.travel(closes - timedelta(hours=49)):
        assert cancellation_reminders_send() == 0
    with time_machine.travel(closes - timedelta(hours=47)):
        assert cancellation_reminders_send() == 1
        assert cancellation_reminders_send() == 0  # none twice
    with time_machine.travel(closes - timedelta(hours=30)):
        assert cancellation_reminders_send() == 0
    with time_machine.travel(closes - timedelta(hours=23)):
        assert cancellation_reminders_send() == 1
        assert cancellation_reminders_send() == 0
    with time_machine.travel(closes + timedelta(minutes=1)):
        assert cancellation_reminders_send() == 0

    assert sorted(CancellationReminder.objects.values_list("hours_before", flat=True)) == [24, 48]
    assert len(mail.outbox) == 2
    assert all(message.to == ["buyer@northwind.example"] for message in mail.outbox)


def test_the_reminder_lists_what_can_be_returned_the_refund_and_local_time(completed):
    closes = window_end(completed)
    subscription = completed.subscriptions.get()

    with time_machine.travel(closes - timedelta(hours=47)):
        cancellation_reminders_send()

    message = mail.outbox[0]
    assert "closes in 47 hours" in message.subject
    body = message.body
    assert completed.customer.company_name in body
    assert f"{subscription.seats} seats of {subscription.product.name}" in body
    assert re.search(r"refunds about \d{1,3}(,\d{3})*\.\d{2} [A-Z]{3}\.", body), body
    local = timezone.localtime(closes, timezone=__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert local.strftime("%H:%M") in body
    assert "Europe/Berlin" in body
    assert reverse("orders:cancel", kwargs={"reference": completed.reference}) in body


def test_the_reminder_writes_the_refund_for_its_readers_language(completed):
    buyer = completed.placed_by
    buyer.language = "de"
    buyer.save(update_fields=["language"])
    with time_machine.travel(window_end(completed) - timedelta(hours=47)):
        cancellation_reminders_send()
    body = mail.outbox[0].body
    assert re.search(r"erstattet etwa \d{1,3}(\.\d{3})*,\d{2} [A-Z]{3}\.", body), body


def test_a_batch_first_seen_inside_24_hours_gets_only_the_24_hour_reminder(completed):
    with time_machine.travel(window_end(completed) - timedelta(hours=5)):
        assert cancellation_reminders_send() == 1
    assert list(CancellationReminder.objects.values_list("hours_before", flat=True)) == [24]


def test_added_seats_link_to_a_prefilled_return_of_exactly_those_seats(
    completed, simulator, django_capture_on_commit_callbacks, client
):
    subscription = completed.subscriptions.get()
    before = subscription.seats
    change = seat_change(subscription=subscription, new_total=before + 4, user=completed.placed_by)
    complete_through_simulator(change, simulator, django_capture_on_commit_callbacks)
    added = SeatBatch.objects.get(order=change)
    mail.outbox.clear()

    with time_machine.travel(added.window_ends_at - timedelta(hours=47)):
        cancellation_reminders_send()
        link = next(
            line.split(": ", 1)[1]
            for line in mail.outbox[0].body.splitlines()
            if "Return these seats" in line
        )
        client.force_login(completed.placed_by)
        page = client.get(link.replace("http://testserver", "")).content.decode()

    assert f"return_batch={added.pk}" in link
    assert f'name="seats" min="1" value="{before}" required autofocus' in page


def test_the_dashboard_lists_windows_closing_soon(completed, client):
    with time_machine.travel(window_end(completed) - timedelta(hours=30)):
        client.force_login(completed.placed_by)  # sessions end when idle: sign in "then"
        page = client.get(reverse("home")).content.decode()
    assert "Refund windows closing soon" in page
    assert completed.customer.company_name in page

    with time_machine.travel(window_end(completed) - timedelta(hours=100)):
        client.force_login(completed.placed_by)
        assert "Refund windows closing soon" not in client.get(reverse("home")).content.decode()


def test_a_failed_mail_is_not_recorded_and_goes_out_on_the_next_run(completed, settings):
    closes = window_end(completed)
    backend = settings.EMAIL_BACKEND

    with time_machine.travel(closes - timedelta(hours=47)):
        refuse_mail(settings)  # the mail server is down: nothing listens on its port
        assert cancellation_reminders_send() == 0
        assert not CancellationReminder.objects.exists()
        settings.EMAIL_BACKEND = backend
        assert cancellation_reminders_send() == 1


def test_reseller_sets_its_time_zone_on_the_partner_page(client, reseller_user):
    client.force_login(reseller_user)
    bad = client.post(reverse("customers:preferences"), {"time_zone": "Mars/Olympus"})
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()

    client.post(reverse("customers:preferences"), {"time_zone": "America/New_York"})
    reseller_user.reseller.refresh_from_db()
    assert reseller_user.reseller.time_zone == "America/New_York"
