"""The bill, checked: ask for the report, wait for it, read it as it streams, record findings."""

from __future__ import annotations

import csv
import logging
from datetime import date, timedelta
from itertools import islice

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.upstream import client_for
from marketplace.exceptions import MarketplaceError

from .charges import BadLine, Charge
from .ledger import expected_charges
from .matching import Finding, Tally, match
from .models import BillCheck, Mismatch

logger = logging.getLogger(__name__)

#: Polls of a report's status before the check gives up (about an hour at the intervals below).
MAX_POLLS = 60
FIRST_POLL_SECONDS = 5
MAX_POLL_SECONDS = 120
BATCH = 1000
READING = "reading"  # report_status while one worker reads the file (the claim)
#: A claim older than the longest a task may run has lapsed: its worker died; read it again.
READ_DEADLINE = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


class BillCheckRefused(Exception):
    """A check or an explanation that cannot be made; the message is for the reseller."""


def bill_check_request(*, reseller, start: date, end: date, user=None) -> BillCheck:
    """Record a check of ``start``..``end``; the caller has a worker ask for its report
    (``tasks.start_check``, after the commit)."""
    if end < start:
        raise BillCheckRefused(_("The period must end on or after the day it starts."))
    if end >= timezone.now().date():
        raise BillCheckRefused(_("The period must end before today: today is still billed."))
    if getattr(reseller, "connection_id", None) is None:
        raise BillCheckRefused(_("This reseller has no marketplace connection yet."))
    return BillCheck.objects.create(
        reseller=reseller, period_start=start, period_end=end, requested_by=user
    )


def previous_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def bill_check_start(*, check: BillCheck) -> BillCheck:
    """Ask the marketplace for the check's report (once: a check with a report id is left)."""
    if check.report_id or check.status != BillCheck.Status.REQUESTED:
        return check
    name = f"Rated data {check.period_start:%Y-%m-%d}..{check.period_end:%Y-%m-%d}"
    try:
        with client_for(check.reseller) as client:
            report = client.schedule_report(
                name=name, start=check.period_start, end=check.period_end
            )
    except MarketplaceError as error:
        return _fail(check, _("The marketplace did not take the report request: %s") % error)
    updated = BillCheck.objects.filter(pk=check.pk, report_id="").update(
        report_id=report.id,
        report_status=report.status,
        status=BillCheck.Status.GENERATING,
        next_poll_at=timezone.now() + timedelta(seconds=FIRST_POLL_SECONDS),
    )
    if not updated:
        logger.warning("Bill check %s: a report was already recorded; %s left", check.pk, report.id)
    check.refresh_from_db()
    return check


def bill_check_poll(*, check: BillCheck) -> BillCheck:
    """Ask how the report stands; read and reconcile it once it is ready."""
    seen_status, seen_due = check.report_status, check.next_poll_at
    if check.status != BillCheck.Status.GENERATING:
        return check
    if seen_status == READING and seen_due and seen_due > timezone.now():
        return check  # another worker is reading it (its claim lapses if that worker dies)
    try:
        with client_for(check.reseller) as client:
            report = client.get_report(report_id=check.report_id)
            if report.failed:
                return _fail(
                    check, _("The marketplace could not generate the report (%s).") % report.status
                )
            if not report.ready:
                return _later(check, report.status)
            claimed = BillCheck.objects.filter(
                pk=check.pk,
                status=BillCheck.Status.GENERATING,
                report_status=seen_status,
                next_poll_at=seen_due,
            ).update(report_status=READING, next_poll_at=timezone.now() + READ_DEADLINE)
            if not claimed:
                return check
            with client.report_lines(report=report) as lines:
                return bill_check_reconcile(check=check, lines=lines)
    except (MarketplaceError, BadLine) as error:
        BillCheck.objects.filter(pk=check.pk, report_status=READING).update(report_status="")
        check.refresh_from_db()
        logger.warning("Bill check %s: %s", check.pk, error, exc_info=True)
        return _later(check, check.report_status, problem=str(error))


def bill_check_reconcile(*, check: BillCheck, lines) -> BillCheck:
    """Match the report's text ``lines`` (CSV, streamed) and record what differs."""
    expected, known = expected_charges(
        reseller=check.reseller, start=check.period_start, end=check.period_end
    )
    charges = (Charge.from_report(row) for row in csv.DictReader(lines))
    tally = Tally()
    findings = match(charges, expected, known, tally)
    Mismatch.objects.filter(bill_check=check).delete()  # a reading cut short is read again whole
    while batch := list(islice(findings, BATCH)):
        Mismatch.objects.bulk_create([_mismatch(check, finding, known) for finding in batch])
    check.status = BillCheck.Status.RECONCILED
    check.report_status = "completed"
    check.reconciled_at = timezone.now()
    check.next_poll_at = None
    check.lines_read, check.lines_matched = tally.lines, tally.matched
    check.billed_total, check.expected_total = tally.billed_total, tally.expected_total
    check.currency = next(iter(tally.currencies)) if len(tally.currencies) == 1 else ""
    check.failure_message = ""
    if len(tally.currencies) > 1:  # never one total across currencies
        check.billed_total = check.expected_total = 0
        check.failure_message = _(
            "The report bills in several currencies (%s): no total is added across them."
        ) % ", ".join(sorted(tally.currencies))
    check.save()
    return check


def _mismatch(check: BillCheck, finding: Finding, known: dict) -> Mismatch:
    charge = finding.charge
    subscription = known.get(charge.subscription)
    billed, expected = finding.billed, finding.expected
    return Mismatch(
        bill_check=check,
        kind=finding.kind,
        subscription_upstream_id=charge.subscription,
        subscription_id=subscription.pk if subscription else None,
        customer_id=subscription.customer_id if subscription else None,
        charge_type=charge.charge_type,
        charge_date=charge.day,
        order_number=charge.order_number,
        billed={**billed.evidence(), "note": finding.note} if billed else None,
        expected=expected.evidence() if expected else None,
        billed_amount=billed.amount if billed else None,
        expected_amount=expected.amount if expected else None,
    )


def _later(check: BillCheck, status: str, problem: str = "") -> BillCheck:
    check.polls += 1
    check.report_status = status
    if check.polls >= MAX_POLLS:
        message = _("The report was not ready after %(polls)s checks; ask for it again.")
        return _fail(check, message % {"polls": check.polls} + (f" ({problem})" if problem else ""))
    wait = min(MAX_POLL_SECONDS, FIRST_POLL_SECONDS * 2 ** min(check.polls, 6))
    check.next_poll_at = timezone.now() + timedelta(seconds=wait)
    check.failure_message = problem
    check.save(update_fields=["polls", "report_status", "next_poll_at", "failure_message"])
    return check


def _fail(check: BillCheck, message: str) -> BillCheck:
    check.status = BillCheck.Status.FAILED
    check.failure_message = message
    check.next_poll_at = None
    check.save(update_fields=["status", "failure_message", "next_poll_at"])
    logger.warning("Bill check %s failed: %s", check.pk, message)
    return check


def mismatch_explain(*, mismatch: Mismatch, user, note: str) -> Mismatch:
    """Mark a mismatch explained with the reseller's note; who and when are recorded."""
    note = (note or "").strip()
    if not note:
        raise BillCheckRefused(_("Say what explains it: the note is required."))
    updated = Mismatch.objects.filter(pk=mismatch.pk, explained_at=None).update(
        explanation=note, explained_by=user, explained_at=timezone.now()
    )
    mismatch.refresh_from_db()
    if not updated:
        raise BillCheckRefused(
            _("This mismatch was already explained by %(who)s.") % {"who": mismatch.explained_by}
        )
    return mismatch
