"""Celery tasks: thin, by id, idempotent."""

from celery import shared_task
from django.utils import timezone

from .models import Message
from .services import message_deliver


@shared_task(name="webhooks.deliver_message", ignore_result=True)
def deliver_message(message_id: int) -> None:
    """Attempt one delivery and schedule the next attempt when it failed."""
    message = Message.objects.select_related("endpoint").filter(pk=message_id).first()
    if message is None:
        return
    message_deliver(message=message)
    message.refresh_from_db()
    if message.next_attempt_at and not message.delivered_at and not message.given_up_at:
        deliver_message.apply_async((message_id,), eta=message.next_attempt_at)


@shared_task(name="webhooks.deliver_due", ignore_result=True)
def deliver_due() -> None:
    """Deliver every message whose next attempt is due (what the broker lost)."""
    due = Message.objects.filter(
        next_attempt_at__lte=timezone.now(),
        delivered_at=None,
        given_up_at=None,
        endpoint__enabled=True,
    )
    for pk in due.values_list("pk", flat=True)[:500]:
        deliver_message.delay(pk)
