"""What a Prometheus scrape of the web tier's /metrics costs with many orders in the database.

Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/metrics.py

It creates its own throw-away test database, fills it with ORDERS orders (a fifth in
flight, the rest completed, a few reconciled out of ``unknown``) with two events each,
and times the scrape-time part of /metrics (``operations.metrics.StateCollector``: the
aggregate queries, the cache and the broker) against the whole /metrics view through
Django's test client, and, as the anchor, /healthz through the same client.
"""

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from machine_facts import cpu_name

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ORDERS = int(os.environ.get("BENCH_ORDERS", "100000"))
ROUNDS = 30
TOKEN = "bench-token"


def fill():
    from django.utils import timezone

    from orders.models import Order, OrderEvent
    from tests.factories import MarketplaceConnectionFactory, OrderFactory

    template = OrderFactory()
    MarketplaceConnectionFactory()
    now = timezone.now()
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Order._meta.concrete_fields
        if not f.primary_key and f.attname not in ("reference", "idempotency_key")
    }
    in_flight = ["placed", "submitted", "processing", "unknown"]
    rows = []
    for n in range(ORDERS):
        done = n % 5 != 0
        rows.append(
            Order(
                **{
                    **fields,
                    "reference": f"NCE-B{n:08d}",
                    "idempotency_key": uuid.uuid4(),
                    "status": "completed" if done else in_flight[n % 4],
                    "completed_at": now if done else None,
                }
            )
        )
    Order.objects.bulk_create(rows, batch_size=5000)
    Order.objects.update(placed_at=now - timedelta(minutes=3))
    events = []
    for order_id, status in Order.objects.values_list("pk", "status"):
        events.append(
            OrderEvent(
                order_id=order_id, to_status="placed", action="place", actor="system", cause="bench"
            )
        )
        source = "unknown" if order_id % 50 == 0 else "processing"
        events.append(
            OrderEvent(
                order_id=order_id,
                from_status=source,
                to_status=status,
                action="x",
                actor="worker",
                cause="bench",
            )
        )
    OrderEvent.objects.bulk_create(events, batch_size=5000)


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main():
    from django.conf import settings
    from django.db import connections
    from django.test import Client
    from prometheus_client import CollectorRegistry, generate_latest

    from operations.metrics import StateCollector

    setup_test_environment()
    settings.OPERATIONS = {**settings.OPERATIONS, "METRICS_TOKEN": TOKEN}
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        print(f"{cpu_name()}, {os.cpu_count()} cores; PostgreSQL {version}")
        fill()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"{ORDERS:,} orders ({ORDERS // 5:,} in flight), {2 * ORDERS:,} events; "
            f"{ROUNDS} rounds\n"
        )
        client = Client()
        state = CollectorRegistry()
        state.register(StateCollector())
        cases = [
            ("/healthz (anchor)", lambda: client.get("/healthz")),
            ("state collector alone", lambda: generate_latest(state)),
            (
                "/metrics, whole view",
                lambda: client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"),
            ),
        ]
        times = {name: [] for name, _ in cases}
        for round_number in range(ROUNDS + 1):
            for name, function in cases:
                elapsed = timed(function)
                if round_number:
                    times[name].append(elapsed)
        anchor = statistics.median(times[cases[0][0]])
        print(f"{'what':28}{'p50':>10}{'p95':>10}{'× anchor':>10}")
        for name, _ in cases:
            ordered = sorted(times[name])
            p50, p95 = statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]
            print(f"{name:28}{p50 * 1000:8.1f}ms{p95 * 1000:8.1f}ms{p50 / anchor:9.1f}×")
        return 0
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
