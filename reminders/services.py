"""Send each reseller, once per threshold, the list of seats whose refund window closes soon."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from mail.services import email_send, user_recipient

from .mail_kinds import CLOSING, closing_context
from .models import CancellationReminder
from .selectors import ClosingBatch, closing_batches, reminder_thresholds

logger = logging.getLogger(__name__)


def due_threshold(closing: ClosingBatch, now) -> int:
    """Return the smallest threshold (hours) the batch's remaining time has passed."""
    left = closing.closes_at - now
    return min(hours for hours in reminder_thresholds() if left <= timedelta(hours=hours))


def cancellation_reminders_send(*, now=None) -> int:
    """Send the reminders that are due; return how many seat batches they covered.

    A batch is reminded at most once per threshold (48 h, then 24 h): the row is
    written in the same transaction as the e-mail is sent, and the unique
    constraint refuses a second one, also from a concurrent run. A batch first
    seen inside 24 h gets only the 24-hour reminder.
    """
    now = now or timezone.now()
    widest = timedelta(hours=max(reminder_thresholds()))
    by_reseller = defaultdict(list)
    for closing in closing_batches(now=now, within=widest):
        by_reseller[closing.order.reseller].append(closing)
    sent = 0
    for reseller, items in by_reseller.items():
        sent += _remind(reseller, items, now)
    return sent


def _remind(reseller, items: list[ClosingBatch], now) -> int:
    recipients = [user_recipient(user) for user in reseller.staff.filter(is_active=True)]
    recipients = [recipient for recipient in recipients if recipient.address]
    if not recipients:
        logger.info("Reseller %s: no staff address for cancellation reminders", reseller.pk)
        return 0
    addresses = [recipient.address for recipient in recipients]
    try:
        with transaction.atomic():
            due = [item for item in items if _claim(item, now, addresses)]
            if due:
                logs = email_send(
                    key=CLOSING,
                    reseller=reseller,
                    recipients=recipients,
                    context=lambda: closing_context(reseller, due, now),
                )
                failed = [log for log in logs if log.result == log.Result.FAILED]
                if failed:
                    raise ReminderNotSent(failed[0].error)
    except Exception:
        # Nothing is recorded as sent (nor logged): the next run tries again.
        logger.exception("Reseller %s: cancellation reminder not sent", reseller.pk)
        return 0
    return len(due)


class ReminderNotSent(RuntimeError):
    """The mail server refused the reminder: undo the claims so the next run sends it."""


def _claim(item: ClosingBatch, now, recipients) -> bool:
    try:
        with transaction.atomic():
            CancellationReminder.objects.create(
                batch=item.batch,
                hours_before=due_threshold(item, now),
                sent_at=now,
                recipients="\n".join(recipients),
            )
    except IntegrityError:
        return False
    return True
