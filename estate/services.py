"""Import runs: start one, and advance it page by page within the connection's budget.

A run reads the reseller's customers, then its subscriptions, a page at a time (newest first,
as the marketplace lists them). Each page is recorded in one transaction together with the
cursor, after every upstream call for it has been made (no HTTP inside a transaction). A page
that fails leaves the cursor where it was: the next step reads it again, and what was recorded
from it is found by its marketplace id, not doubled.
"""

import logging
import time
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer, Reseller
from marketplace.exceptions import MarketplaceError
from marketplace.wording import marketplace_failure_message
from orders.dispatch import PUBLISH_RETRY_POLICY
from orders.models import Subscription
from orders.pipeline.budget import budget_take, budget_used, paused_until
from orders.pipeline.clients import pipeline_client
from orders.pipeline.conf import setting

from . import recording
from .models import ImportRun

logger = logging.getLogger(__name__)

#: Rows per page: one request per page, plus one per subscription whose detail is needed.
PAGE_SIZE = 100
#: The share of the connection's per-minute budget an import may use; orders keep the rest.
BUDGET_SHARE = 0.8
#: How long one step may hold a run (a cache lock), so two workers never page it together.
STEP_LOCK_SECONDS = 300

Phase = ImportRun.Phase
Status = ImportRun.Status


class OutOfBudget(Exception):
    """This minute's share of the connection's budget is spent: continue in the next one."""


def import_run_start(*, reseller, user=None, kind=ImportRun.Kind.IMPORT) -> ImportRun:
    """Start an import (or sync) for ``reseller``, or return the one already running."""
    existing = ImportRun.objects.filter(
        reseller=reseller, status__in=[Status.RUNNING, Status.WAITING]
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(reseller=reseller, started_by=user, kind=kind)
    except IntegrityError:  # another request started one at the same moment
        return ImportRun.objects.get(reseller=reseller, status__in=[Status.RUNNING, Status.WAITING])
    transaction.on_commit(lambda: step_later(run.pk, 0))
    return run


def step_later(run_id: int, countdown: float) -> None:
    """Enqueue the next step of a run (by name: the task module imports this one).

    A message the broker loses costs only time: ``estate.resume_runs`` steps every open run
    nobody has advanced for two minutes.
    """
    try:
        current_app.send_task(
            "estate.import_step",
            args=[run_id],
            countdown=max(0, countdown),
            retry=True,
            retry_policy=PUBLISH_RETRY_POLICY,
        )
    except Exception:
        logger.warning("Could not enqueue the next step of import run %s", run_id, exc_info=True)


class _Budget:
    """Requests this step may still make: taken from the connection's budget as they go."""

    def __init__(self, connection_id):
        self.connection_id = connection_id
        self.share = int(int(setting("POLL_REQUESTS_PER_MINUTE")) * BUDGET_SHARE)
        self.used = 0

    def take(self) -> None:
        if paused_until(self.connection_id) is not None:
            raise OutOfBudget
        if budget_used(self.connection_id) >= self.share:
            raise OutOfBudget
        if not budget_take(self.connection_id, 1):
            raise OutOfBudget
        self.used += 1


def seconds_to_next_window() -> float:
    return 60 - time.time() % 60 + 0.5


def import_run_step(*, run_id: int) -> float | None:
    """Advance the run by as many pages as the budget allows; return when to step again.

    None: the run is over (done or stopped) or another worker holds it.
    """
    lock = f"estate:run:{run_id}"
    if not cache.add(lock, 1, timeout=STEP_LOCK_SECONDS):
        return None
    try:
        return _step(run_id)
    finally:
        cache.delete(lock)


def _step(run_id: int) -> float | None:
    run = ImportRun.objects.select_related("reseller__connection").get(pk=run_id)
    if not run.is_open:
        return None
    client = pipeline_client(run.reseller)
    budget = _Budget(run.reseller.connection_id)
    started = time.monotonic()
    try:
        while run.phase != Phase.FINISHED and time.monotonic() - started < 60:
            if run.phase == Phase.CUSTOMERS:
                _customers_page(run, client, budget)
            else:
                _subscriptions_page(run, client, budget)
    except OutOfBudget:
        _save_progress(run, budget, status=Status.RUNNING)
        return seconds_to_next_window()
    except MarketplaceError as error:
        logger.warning("Import run %s: page at %s failed", run.pk, run.offset, exc_info=True)
        run.pages_failed += 1
        run.last_error = marketplace_failure_message(
            error,
            outcome=_("the page at row %(offset)s of %(phase)s was not read")
            % {"offset": run.offset, "phase": run.get_phase_display().lower()},
            next_step=_("It is read again by itself in a moment; nothing is lost or doubled."),
        )
        _save_progress(run, budget, status=Status.WAITING)
        return min(600, settings.ESTATE_RETRY_BASE_SECONDS * 2 ** min(run.pages_failed - 1, 7))
    if run.phase == Phase.FINISHED:
        run.finished_at = timezone.now()
        _save_progress(run, budget, status=Status.DONE)
        return None
    _save_progress(run, budget, status=Status.RUNNING)
    return 0


def _save_progress(run: ImportRun, budget: _Budget, *, status: str) -> None:
    run.requests += budget.used
    budget.used = 0
    run.status = status
    run.save()


def _advance(run: ImportRun, rows: int, page_limit: int, total: int | None, next_phase) -> None:
    run.offset += rows
    if rows < page_limit or (total is not None and run.offset >= total):
        run.phase, run.offset = next_phase, 0


def _customers_page(run: ImportRun, client, budget: _Budget) -> None:
    budget.take()
    page = client.customers_page(offset=run.offset, limit=PAGE_SIZE)
    tally = recording.Tally()
    with transaction.atomic():
        for row in page.items:
            recording.customer_adopt(reseller=run.reseller, row=row, tally=tally)
        run.customers_total = page.total
        run.customers_seen += len(page.items)
        run.customers_created += tally.customers_created
        _advance(run, len(page.items), page.limit, page.total, Phase.SUBSCRIPTIONS)
        _save_progress(run, budget, status=Status.RUNNING)


def _subscriptions_page(run: ImportRun, client, budget: _Budget) -> None:
    budget.take()
    page = client.subscriptions_page(offset=run.offset, limit=PAGE_SIZE)
    known = {
        s.upstream_id: s
        for s in Subscription.objects.filter(
            customer__reseller=run.reseller, upstream_id__in=[row.id for row in page.items]
        ).select_related("product")
    }
    customers = {
        c.upstream_customer_id: c
        for c in Customer.objects.filter(
            reseller=run.reseller,
            upstream_customer_id__in={row.customer_id for row in page.items},
        )
    }
    details, new_customers = {}, {}
    try:
        for row in page.items:
            if row.customer_id not in customers and row.customer_id not in new_customers:
                budget.take()  # a customer added since the customers were read
                new_customers[row.customer_id] = client.get_customer(customer_id=row.customer_id)
            if recording.needs_detail(known.get(row.id), row):
                budget.take()
                details[row.id] = client.get_subscription(subscription_id=row.id)
    finally:
        # What was read is recorded even when the page could not be finished: the next
        # attempt finds those rows recorded and reads only the rest again.
        _record(run, page, known, customers, new_customers, details, budget)


def _record(run, page, known, customers, new_customers, details, budget) -> None:
    tally = recording.Tally()
    finished = all(
        row.id in details or not recording.needs_detail(known.get(row.id), row)
        for row in page.items
    )
    with transaction.atomic():
        for upstream in new_customers.values():
            customers[upstream.id] = recording.customer_adopt(
                reseller=run.reseller, row=upstream, tally=tally
            )
        buying = recording.customers_buying(list(customers.values()))
        for row in page.items:
            detail = details.get(row.id)
            if row.id in known:
                if detail is not None:
                    recording.subscription_reconcile(
                        subscription=known[row.id], upstream=detail, tally=tally
                    )
            elif detail is not None and customers[row.customer_id].pk in buying:
                tally.deferred += 1
            elif detail is not None:
                recording.subscription_adopt(
                    customer=customers[row.customer_id],
                    detail=detail,
                    added_outside=run.kind == ImportRun.Kind.SYNC,
                    tally=tally,
                )
        run.customers_created += tally.customers_created
        run.subscriptions_adopted += tally.adopted
        run.subscriptions_changed += tally.changed
        run.subscriptions_skipped += tally.skipped
        run.subscriptions_deferred += tally.deferred
        if finished:
            run.subscriptions_total = page.total
            run.subscriptions_seen += len(page.items)
            _advance(run, len(page.items), page.limit, page.total, Phase.FINISHED)
        _save_progress(run, budget, status=run.status)


def estate_sync_due(*, every_hours: float = 12) -> int:
    """Start a sync for every reseller with adopted or ordered subscriptions not synced lately."""
    since = timezone.now() - timedelta(hours=every_hours)
    resellers = (
        Subscription.objects.filter(status="active")
        .values_list("customer__reseller_id", flat=True)
        .distinct()
    )
    recent = ImportRun.objects.filter(started_at__gte=since).values_list("reseller_id", flat=True)
    started = 0
    for reseller in Reseller.objects.filter(pk__in=list(resellers)).exclude(pk__in=list(recent)):
        import_run_start(reseller=reseller, kind=ImportRun.Kind.SYNC)
        started += 1
    return started


def import_runs_resume(*, stale_seconds: int = 120) -> int:
    """Step again every open run nobody has advanced lately (its task was lost)."""
    stale = timezone.now() - timedelta(seconds=stale_seconds)
    runs = ImportRun.objects.filter(
        status__in=[Status.RUNNING, Status.WAITING], updated_at__lt=stale
    ).values_list("pk", flat=True)
    for run_id in runs:
        step_later(run_id, 0)
    return len(runs)
