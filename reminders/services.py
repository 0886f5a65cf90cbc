"""Send each reseller, once per threshold, the list of seats whose refund window closes soon."""

import logging
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

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
    recipients = reseller.staff_emails()
    if not recipients:
        logger.info("Reseller %s: no staff address for cancellation reminders", reseller.pk)
        return 0
    try:
        with transaction.atomic():
            due = [item for item in items if _claim(item, now, recipients)]
            if due:
                send_mail(
                    _subject(due, now),
                    render_to_string("reminders/email/closing.txt", _context(reseller, due, now)),
                    None,
                    recipients,
                )
    except Exception:
        # Nothing is recorded as sent: the next run tries again.
        logger.exception("Reseller %s: cancellation reminder not sent", reseller.pk)
        return 0
    return len(due)


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


def _subject(due: list[ClosingBatch], now) -> str:
    soonest = min(item.closes_at for item in due)
    hours = max(1, round((soonest - now).total_seconds() / 3600))
    return (
        f"Refund window closes in {hours} hours for {len(due)} subscription"
        f"{'s' if len(due) != 1 else ''}"
    )


def _context(reseller, due, now) -> dict:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return {
        "reseller": reseller,
        "zone": reseller.time_zone,
        "items": [{"item": item, "url": base + item.return_path()} for item in due],
    }
