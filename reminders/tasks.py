"""Celery tasks: thin, named, idempotent."""

from celery import shared_task

from .services import cancellation_reminders_send, renewal_reminders_send


@shared_task(name="reminders.send_cancellation_reminders")
def send_cancellation_reminders() -> int:
    return cancellation_reminders_send()


@shared_task(name="reminders.send_renewal_reminders")
def send_renewal_reminders() -> int:
    return renewal_reminders_send()
