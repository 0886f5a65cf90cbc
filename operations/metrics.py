"""Metrics in Prometheus' format: what each process counts, and what the database knows.

Two kinds:

* **counted in a process** (prometheus-client): upstream calls, 429s and pauses
  (marketplace.metrics), task durations (operations.worker), and the web tier's
  requests (django-prometheus). A worker serves its own on WORKER_METRICS_PORT;
  web serves its own at /metrics. With PROMETHEUS_MULTIPROC_DIR set (gunicorn's
  workers, Celery's prefork pool) every process of one host writes there and the
  one endpoint adds them up.
* **read from the database or the broker at scrape time** (``StateCollector``):
  orders by status, in flight, stuck, placed→completed seconds, reconciliation
  verdicts, webhook deliveries, endpoints disabled, budget used per connection,
  queue depth. These are the same from any web process, however many workers
  ran the work, so only /metrics on the web tier serves them.
"""

import logging
import os
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

logger = logging.getLogger(__name__)

#: Buckets of the placed → completed histogram, in seconds (seconds to a day).
COMPLETION_BUCKETS = (5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 86400)
CELERY_QUEUES = ("submit", "poll", "default")


def process_registry():
    """Return the registry of what this host's processes counted (all of them when multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def web_exposition() -> tuple[bytes, str]:
    """Return the web tier's /metrics body: its processes' metrics, then the shared state."""
    state = CollectorRegistry()
    state.register(StateCollector())
    return generate_latest(process_registry()) + generate_latest(state), CONTENT_TYPE_LATEST


class StateCollector:
    """Read the pipeline's state at scrape time: a few aggregate queries, no per-order series."""

    def collect(self):
        yield from _orders_by_status()
        yield _completion_histogram()
        yield _reconciliation_verdicts()
        yield from _webhooks()
        yield _budget_used()
        yield _queue_depth()


def _orders_by_status():
    from orders.models import Order

    by_status = GaugeMetricFamily("nce_orders", "Orders by status.", labels=["status"])
    counts = dict(Order.objects.values_list("status").annotate(n=Count("pk")).order_by())
    for status in Order.Status.values:
        by_status.add_metric([status], counts.get(status, 0))
    yield by_status
    in_flight = Order.objects.filter(status__in=_in_flight_statuses())
    yield GaugeMetricFamily(
        "nce_orders_in_flight",
        "Orders sent or to be sent, not yet finished (placed to processing, unknown, cancelling).",
        value=sum(counts.get(status, 0) for status in _in_flight_statuses()),
    )
    stuck_after = timedelta(seconds=settings.OPERATIONS["STUCK_ORDER_SECONDS"])
    yield GaugeMetricFamily(
        "nce_orders_stuck",
        "Orders in flight whose state has not changed for OPERATIONS_STUCK_ORDER_SECONDS.",
        value=in_flight.filter(updated_at__lt=timezone.now() - stuck_after).count(),
    )


def _in_flight_statuses():
    from orders.models import Order

    s = Order.Status
    return [s.PLACED, s.SUBMITTING, s.SUBMITTED, s.PROCESSING, s.UNKNOWN, s.CANCEL_REQUESTED]


def _completion_histogram():
    from orders.models import Order

    done = Order.objects.filter(status=Order.Status.COMPLETED, completed_at__isnull=False)
    took = ExpressionWrapper(F("completed_at") - F("placed_at"), output_field=DurationField())
    within = {
        f"le_{bound}": Count(
            "pk", filter=Q(completed_at__lte=F("placed_at") + timedelta(seconds=bound))
        )
        for bound in COMPLETION_BUCKETS
    }
    counts = done.aggregate(total=Count("pk"), took=Sum(took), **within)
    buckets = [(str(float(bound)), counts[f"le_{bound}"]) for bound in COMPLETION_BUCKETS]
    buckets.append(("+Inf", counts["total"]))
    return HistogramMetricFamily(
        "nce_order_placed_to_completed_seconds",
        "Seconds from Buy to completed, of every completed order.",
        buckets=buckets,
        sum_value=counts["took"].total_seconds() if counts["took"] else 0.0,
    )


def _reconciliation_verdicts():
    """Count what reconciliation decided: every move out of ``unknown``, by where it went."""
    from orders.models import OrderEvent

    verdicts = CounterMetricFamily(
        "nce_reconciliations",
        "Orders reconciled after an uncertain send, by verdict (the state it moved to).",
        labels=["verdict"],
    )
    rows = (
        OrderEvent.objects.filter(from_status="unknown")
        .exclude(to_status="unknown")
        .values_list("to_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for verdict, n in rows:
        verdicts.add_metric([verdict], n)
    return verdicts


def _webhooks():
    from webhooks.models import Attempt, Endpoint

    attempts = CounterMetricFamily(
        "nce_webhook_deliveries",
        "Webhook delivery attempts by outcome (delivered or failed).",
        labels=["outcome"],
    )
    counts = Attempt.objects.aggregate(
        delivered=Count("pk", filter=Q(succeeded=True)),
        failed=Count("pk", filter=Q(succeeded=False)),
    )
    for outcome, n in counts.items():
        attempts.add_metric([outcome], n)
    yield attempts
    yield GaugeMetricFamily(
        "nce_webhook_endpoints_disabled",
        "Webhook endpoints turned off after repeated failures.",
        value=Endpoint.objects.filter(enabled=False).exclude(disabled_reason="").count(),
    )


def _budget_used():
    """The upstream request budget each connection used in the current minute (from the cache)."""
    from customers.models import MarketplaceConnection
    from orders.pipeline.budget import budget_used
    from orders.pipeline.conf import setting

    used = GaugeMetricFamily(
        "nce_upstream_budget_used_ratio",
        "Share of a connection's per-minute request budget used in the current window.",
        labels=["connection"],
    )
    limit = max(int(setting("POLL_REQUESTS_PER_MINUTE")), 1)
    for connection_id, name in MarketplaceConnection.objects.values_list("pk", "name"):
        used.add_metric([name], budget_used(connection_id) / limit)
    return used


def _queue_depth():
    """Messages waiting in each Celery queue (asked of the broker)."""
    from config.celery import app

    depth = GaugeMetricFamily(
        "nce_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
    )
    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            for queue in CELERY_QUEUES:
                try:
                    waiting = channel.queue_declare(queue, passive=True).message_count
                except connection.channel_errors:
                    waiting = 0  # never declared, or emptied and dropped by the broker
                depth.add_metric([queue], waiting)
    except Exception:  # the broker being down is readyz's news; the other metrics still serve
        logger.warning("Could not read the Celery queues' length.", exc_info=True)
    return depth
