"""Celery task: thin, named, idempotent."""

from celery import shared_task

from .services import relationship_checks_due


@shared_task(name="relationships.check_due")
def check_due() -> int:
    return relationship_checks_due()
