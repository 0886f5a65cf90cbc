"""The monthly beat: last month's bill asked for once per connected, ready reseller."""

from datetime import date

import pytest
import time_machine

from billing.models import BillCheck
from billing.tasks import check_last_month
from customers.models import Reseller
from tests.factories import MarketplaceConnectionFactory, ResellerFactory

pytestmark = pytest.mark.django_db


def test_last_month_is_asked_for_once_per_ready_reseller(monkeypatch):
    started = []
    monkeypatch.setattr("billing.tasks.start_check.delay", started.append)
    ready = ResellerFactory(
        connection=MarketplaceConnectionFactory(), tier_status=Reseller.TierStatus.READY
    )
    ResellerFactory(connection=MarketplaceConnectionFactory())  # not ready: not asked
    with time_machine.travel("2026-12-03 06:00Z"):
        assert check_last_month() == 1
        assert check_last_month() == 0  # the next run finds the check
    (check,) = BillCheck.objects.all()
    assert (check.reseller, check.period_start, check.period_end) == (
        ready,
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    assert check.requested_by is None and started == [check.pk]
