"""What an operator sees while a real order moves through the pipeline.

Real parts only: PostgreSQL, Redis, a Celery worker subprocess serving its own
metrics (WORKER_METRICS_PORT, prefork pool added up through PROMETHEUS_MULTIPROC_DIR),
the simulator over HTTP; the web tier's /metrics is read through Django's test client
in this process.
"""

import json

import httpx
import pytest
from django.core.cache import cache
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from customers.models import Credential, MarketplaceConnection
from marketplace.auth import token_cache_key
from orders.models import Order

from .conftest import free_port, place_order, wait_for, wait_for_status

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]

METRICS_TOKEN = "metrics-token-for-the-test"


def samples(text: str) -> dict:
    """Return {(name, frozenset(labels)): value} of a Prometheus text exposition."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def web_metrics() -> dict:
    response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {METRICS_TOKEN}")
    assert response.status_code == 200, response.content
    return samples(response.content.decode())


@pytest.fixture
def observed_worker(start_worker, monkeypatch, tmp_path, settings):
    """A worker with its metrics endpoint, JSON logs and the token; this process shares it."""
    settings.OPERATIONS = {**settings.OPERATIONS, "METRICS_TOKEN": METRICS_TOKEN}
    port = free_port()
    multiproc_dir = tmp_path / "worker-metrics"
    multiproc_dir.mkdir()
    with monkeypatch.context() as worker_env:  # for the worker only, not for this process
        worker_env.setenv("METRICS_TOKEN", METRICS_TOKEN)
        worker_env.setenv("WORKER_METRICS_PORT", str(port))
        worker_env.setenv("WORKER_METRICS_ADDRESS", "127.0.0.1")
        worker_env.setenv("PROMETHEUS_MULTIPROC_DIR", str(multiproc_dir))
        worker_env.setenv("LOG_FORMAT", "json")
        worker = start_worker()
    worker.metrics_url = f"http://127.0.0.1:{port}/metrics"
    return worker


def worker_metrics(worker) -> dict:
    response = httpx.get(
        worker.metrics_url, headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=5
    )
    assert response.status_code == 200, response.text
    return samples(response.text)


def test_metrics_follow_an_order_from_placed_to_completed(upstream, simulator, observed_worker):
    # One 429 on the order's POST: counted, with the pause it asked for.
    simulator.fail(kind="status", status=429, retryAfter=1, method="POST", path="/orders", count=1)
    before = web_metrics()
    assert value(before, "nce_orders", status="completed") == 0
    assert value(before, "nce_order_placed_to_completed_seconds_count") == 0

    order = place_order(upstream)
    placed = web_metrics()
    assert (
        value(placed, "nce_orders", status="placed")
        + value(placed, "nce_orders", status="submitting")
        + value(placed, "nce_orders", status="submitted")
        >= 1
    )
    assert value(placed, "nce_orders_in_flight") == 1

    wait_for_status(order, "completed", timeout=60, workers=[observed_worker])
    after = web_metrics()
    assert value(after, "nce_orders", status="completed") == 1
    assert value(after, "nce_orders_in_flight") == 0
    assert value(after, "nce_order_placed_to_completed_seconds_count") == 1
    took = (Order.objects.get(pk=order.pk).completed_at - order.placed_at).total_seconds()
    assert value(after, "nce_order_placed_to_completed_seconds_sum") == pytest.approx(
        took, abs=0.01
    )
    assert value(after, "nce_celery_queue_length", queue="submit") == 0
    connection_name = MarketplaceConnection.objects.get().name
    assert ("nce_upstream_budget_used_ratio", frozenset({("connection", connection_name)})) in after

    # The worker's own endpoint: what its pool processes counted, added up.
    def counted():
        found = worker_metrics(observed_worker)
        sent = value(found, "nce_upstream_requests_total", endpoint="POST /orders", status="201")
        sent += value(found, "nce_upstream_requests_total", endpoint="POST /orders", status="200")
        return found if sent == 1 else None

    found = wait_for(counted, timeout=10, what="the worker's count of the order's POST")
    assert value(found, "nce_upstream_requests_total", endpoint="POST /orders", status="429") == 1
    assert value(found, "nce_upstream_rate_limited_total", endpoint="POST /orders") == 1
    assert value(found, "nce_upstream_paused_seconds_total") >= 1
    assert value(found, "nce_upstream_requests_total", endpoint="GET /orders/{id}", status="200")
    assert value(found, "nce_task_seconds_count", task="orders.submit_order") >= 1
    assert value(found, "nce_task_wait_seconds_count", task="orders.submit_order") >= 1


def test_the_worker_metrics_need_the_token(observed_worker):
    assert httpx.get(observed_worker.metrics_url, timeout=5).status_code == 403
    wrong = {"Authorization": "Bearer not-the-token"}
    assert httpx.get(observed_worker.metrics_url, headers=wrong, timeout=5).status_code == 403


def test_worker_log_lines_are_json_naming_the_order_and_no_secret(
    upstream, simulator, observed_worker
):
    order = place_order(upstream)  # a new tenant: completion returns its admin's password
    wait_for_status(order, "completed", timeout=60, workers=[observed_worker])
    reseller = upstream[0]
    connection = reseller.connection
    bearer = cache.get(
        token_cache_key(
            base_url=connection.base_url.rstrip("/"),
            marketplace=connection.marketplace_code,
            username=connection.username,
        )
    )
    secrets = [connection.password, connection.subscription_key, bearer]
    # The new tenant's temporary admin password, stored (encrypted) when the order completed.
    credentials = list(Credential.objects.values_list("secret", flat=True))
    assert credentials
    secrets += credentials

    lines = [line for line in observed_worker.log_path.read_text().splitlines() if line.strip()]
    records = []
    for line in lines:
        if line.startswith("{"):
            records.append(json.loads(line))
    # Celery prints a banner before logging starts; everything logged after is JSON.
    assert len(records) > 10
    about_order = [r for r in records if order.reference in json.dumps(r)]
    assert about_order, "no log line names the order"
    assert all(r.get("order_reference") == order.reference for r in about_order)
    assert any(r.get("correlation_id") for r in about_order)
    text = observed_worker.log_path.read_text()
    for secret in filter(None, secrets):
        assert secret not in text
