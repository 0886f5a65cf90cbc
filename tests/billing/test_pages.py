"""The bill pages: who may see and do what, and bad input answered at its field."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import BillCheck, Mismatch
from tests.factories import (
    CustomerFactory,
    MarketplaceConnectionFactory,
    ResellerFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(reseller=ResellerFactory(connection=MarketplaceConnectionFactory()))


@pytest.fixture
def mismatch(staff):
    check = BillCheck.objects.create(
        reseller=staff.reseller,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        status=BillCheck.Status.RECONCILED,
    )
    return Mismatch.objects.create(
        bill_check=check,
        kind=Mismatch.Kind.NOT_ORDERED,
        subscription_upstream_id="1008001",
        charge_type="purchase",
        charge_date=date(2026, 10, 3),
        billed={"amount": "10.00", "currency": "USD", "quantity": 1},
        billed_amount="10.00",
    )


def test_staff_ask_for_a_past_period_and_a_worker_is_told_after_the_commit(
    client, staff, django_capture_on_commit_callbacks, monkeypatch
):
    started = []
    monkeypatch.setattr("billing.tasks.start_check.delay", started.append)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("billing:checks"), {"start": "2026-10-01", "end": "2026-10-31"}
        )
    check = BillCheck.objects.get(reseller=staff.reseller)
    assert response.url == reverse("billing:check", kwargs={"pk": check.pk})
    assert started == [check.pk] and check.requested_by == staff


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-10-31", "2026-10-01", "must end on or after the day it starts"),
        ("", "2026-10-01", "This field is required"),
        (None, None, "today is still billed"),
    ],
)
def test_a_bad_period_is_refused_with_a_message(client, staff, start, end, message):
    if start is None:
        start = end = timezone.now().date().isoformat()
    client.force_login(staff)
    response = client.post(reverse("billing:checks"), {"start": start, "end": end})
    assert response.status_code == 400 and message in response.content.decode()
    assert not BillCheck.objects.exists()


def test_a_mismatch_is_explained_once_with_a_note(client, staff, mismatch):
    client.force_login(staff)
    url = reverse("billing:explain", kwargs={"pk": mismatch.pk})
    client.post(url, {"note": "   "})
    mismatch.refresh_from_db()
    assert mismatch.explained_at is None
    client.post(url, {"note": "Credit note 42 received."})
    client.post(url, {"note": "Something else."})
    mismatch.refresh_from_db()
    assert (mismatch.explanation, mismatch.explained_by) == ("Credit note 42 received.", staff)
    page = client.get(reverse("billing:check", kwargs={"pk": mismatch.bill_check_id}))
    assert "Credit note 42 received." in page.content.decode()


def test_another_reseller_and_end_customers_see_nothing_and_support_only_reads(client, mismatch):
    check_url = reverse("billing:check", kwargs={"pk": mismatch.bill_check_id})
    client.force_login(UserFactory())  # staff of another reseller
    assert client.get(check_url).status_code == 404
    assert (
        client.post(
            reverse("billing:explain", kwargs={"pk": mismatch.pk}), {"note": "x"}
        ).status_code
        == 404
    )
    client.force_login(UserFactory(end_customer=True))
    assert client.get(reverse("billing:checks")).status_code == 403
    client.force_login(UserFactory(support=True))
    assert client.get(check_url).status_code == 200
    assert (
        client.post(
            reverse("billing:explain", kwargs={"pk": mismatch.pk}), {"note": "x"}
        ).status_code
        == 403
    )
    mismatch.refresh_from_db()
    assert mismatch.explained_at is None


def test_a_statement_offers_only_the_users_customers(client, staff):
    own = CustomerFactory(reseller=staff.reseller, company_name="Own Ltd")
    other = CustomerFactory(company_name="Someone Else's")
    client.force_login(staff)
    page = client.get(reverse("billing:statement")).content.decode()
    assert "Own Ltd" in page and "Someone Else" not in page
    last_week = (timezone.now() - timedelta(days=7)).date().isoformat()
    response = client.get(
        reverse("billing:statement"),
        {"customer": other.pk, "start": last_week, "end": last_week, "format": "csv"},
    )
    assert response.status_code == 400 and "customer" in response.content.decode()
    response = client.get(
        reverse("billing:statement"),
        {"customer": own.pk, "start": last_week, "end": last_week, "format": "xlsx"},
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
