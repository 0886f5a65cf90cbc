"""Celery tasks: thin, named, idempotent, taking ids."""

from celery import shared_task
from django.utils import timezone

from customers.models import Reseller

from .models import BillCheck
from .services import bill_check_poll, bill_check_request, bill_check_start, previous_month


@shared_task(name="billing.start_check")
def start_check(check_id: int) -> None:
    check = BillCheck.objects.select_related("reseller").filter(pk=check_id).first()
    if check is not None:
        bill_check_start(check=check)


@shared_task(name="billing.poll_due")
def poll_due() -> int:
    """Poll every check whose report is due a look (the database is the record)."""
    due = BillCheck.objects.filter(
        status=BillCheck.Status.GENERATING, next_poll_at__lte=timezone.now()
    ).values_list("pk", flat=True)
    for check_id in due:
        poll_check.delay(check_id)
    return len(due)


@shared_task(name="billing.poll_check")
def poll_check(check_id: int) -> None:
    check = BillCheck.objects.select_related("reseller").filter(pk=check_id).first()
    if check is not None:
        bill_check_poll(check=check)


@shared_task(name="billing.check_last_month")
def check_last_month() -> int:
    """Ask for last month's bill of every connected reseller that has no check of it yet."""
    start, end = previous_month(timezone.now().date())
    asked = 0
    for reseller in Reseller.objects.exclude(connection=None).filter(
        tier_status=Reseller.TierStatus.READY
    ):
        if not BillCheck.objects.filter(
            reseller=reseller, period_start=start, period_end=end
        ).exists():
            check = bill_check_request(reseller=reseller, start=start, end=end)
            start_check.delay(check.pk)
            asked += 1
    return asked
