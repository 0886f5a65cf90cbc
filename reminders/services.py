"""Send each reseller, once per threshold, the reminders that are due.

Two reminders: the seats whose 7-day refund window closes soon (48 h and 24 h before), and
the renewals coming, with what each will do (30 and 7 days before). Each item is claimed by a
row whose unique constraint refuses a second claim, also from a concurrent run, in the same
transaction as the e-mail is sent: a mail server that refuses it undoes the claims, and the
next run sends it again.
"""

import logging
from collections import defaultdict
from datetime import UTC, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from mail.services import email_send, user_recipient

from .mail_kinds import CLOSING, RENEWAL, closing_context
from .models import CancellationReminder, RenewalReminder
from .renewal_outlook import RenewalOutlook, renewals_due
from .renewal_words import renewal_context
from .selectors import ClosingBatch, closing_batches, reminder_thresholds

logger = logging.getLogger(__name__)


def due_threshold(closing: ClosingBatch, now) -> int:
    """Return the smallest threshold (hours) the batch's remaining time has passed."""
    left = closing.closes_at - now
    return min(hours for hours in reminder_thresholds() if left <= timedelta(hours=hours))


def cancellation_reminders_send(*, now=None) -> int:
    """Send the refund-window reminders that are due; return how many seat batches they covered.

    A batch is reminded at most once per threshold (48 h, then 24 h). A batch first seen
    inside 24 h gets only the 24-hour reminder.
    """
    now = now or timezone.now()
    widest = timedelta(hours=max(reminder_thresholds()))
    by_reseller = defaultdict(list)
    for closing in closing_batches(now=now, within=widest):
        by_reseller[closing.order.reseller].append(closing)
    sent = 0
    for reseller, items in by_reseller.items():
        sent += _send_claimed(
            reseller,
            items,
            key=CLOSING,
            claim=lambda item, addresses: _claimed(
                CancellationReminder,
                batch=item.batch,
                hours_before=due_threshold(item, now),
                sent_at=now,
                recipients="\n".join(addresses),
            ),
            context=lambda due, reseller=reseller: closing_context(reseller, due, now),
        )
    return sent


def renewal_reminders_send(*, now=None) -> int:
    """Send the renewal reminders that are due; return how many subscriptions they covered.

    One e-mail per reseller lists every subscription whose renewal has come within a
    threshold (30, then 7 days: ``RENEWAL_REMINDER_DAYS``), each at most once per renewal
    date and threshold; one first seen inside 7 days gets only the 7-day reminder.
    """
    now = now or timezone.now()
    by_reseller = defaultdict(list)
    # The marketplace renews at midnight UTC: days are counted in UTC.
    for outlook in renewals_due(today=now.astimezone(UTC).date()):
        by_reseller[outlook.subscription.customer.reseller].append(outlook)
    sent = 0
    for reseller, items in by_reseller.items():
        sent += _send_claimed(
            reseller,
            items,
            key=RENEWAL,
            claim=lambda item, addresses: _renewal_claimed(item, now, addresses),
            context=lambda due, reseller=reseller: renewal_context(reseller, due),
        )
    return sent


def _renewal_claimed(item: RenewalOutlook, now, addresses) -> bool:
    return _claimed(
        RenewalReminder,
        subscription=item.subscription,
        renewal_date=item.renewal_date,
        days_before=item.threshold,
        sent_at=now,
        recipients="\n".join(addresses),
    )


def _send_claimed(reseller, items, *, key: str, claim, context) -> int:
    """Claim ``items`` and send them to the reseller's staff as one e-mail; return the count."""
    recipients = [user_recipient(user) for user in reseller.staff.filter(is_active=True)]
    recipients = [recipient for recipient in recipients if recipient.address]
    if not recipients:
        logger.info("Reseller %s: no staff address for reminder %s", reseller.pk, key)
        return 0
    addresses = [recipient.address for recipient in recipients]
    try:
        with transaction.atomic():
            due = [item for item in items if claim(item, addresses)]
            if due:
                logs = email_send(
                    key=key,
                    reseller=reseller,
                    recipients=recipients,
                    context=lambda: context(due),
                )
                failed = [log for log in logs if log.result == log.Result.FAILED]
                if failed:
                    raise ReminderNotSent(failed[0].error)
    except Exception:
        # Nothing is recorded as sent (nor logged): the next run tries again.
        logger.exception("Reseller %s: reminder %s not sent", reseller.pk, key)
        return 0
    return len(due)


class ReminderNotSent(RuntimeError):
    """The mail server refused the reminder: undo the claims so the next run sends it."""


def _claimed(model, **fields) -> bool:
    """Write the claim row; return False if the unique constraint says it exists."""
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True
