"""Celery task: thin, named, idempotent."""

from celery import shared_task

from .services import renewals_sync_due


@shared_task(name="renewals.sync_due")
def sync_due() -> int:
    return renewals_sync_due()
