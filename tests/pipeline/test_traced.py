"""One order's trace links the web request, the Celery task it enqueued and the upstream POST.

Real: the JSON API's request through Django's test client, Redis as the broker, a
Celery worker (Celery's own test worker, in a thread of this process so it shares
the tracer), PostgreSQL and the simulator over HTTP. Faked, because it cannot be
real here: the OTLP collector. The spans go to the SDK's in-memory exporter instead.
"""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection
from django.test import Client
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from api.tokens import api_token_create
from catalog.models import Product
from config.celery import app
from operations import tracing
from orders.models import Order
from orders.pipeline import clients
from tests.api.test_place import payload
from tests.factories import UserFactory

from .conftest import wait_for_status

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def spans(monkeypatch):
    """Tracing on, into memory; the instrumentations removed again afterwards."""
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    exporter = InMemorySpanExporter()
    monkeypatch.setattr(tracing, "_started", False)
    monkeypatch.setattr(clients, "_clients", {})  # clients made before were not instrumented
    assert tracing.tracing_start(span_processor=SimpleSpanProcessor(exporter))
    yield exporter
    DjangoInstrumentor().uninstrument()
    CeleryInstrumentor().uninstrument()
    HTTPXClientInstrumentor().uninstrument()


def close_thread_connection(**kwargs):
    connection.close()


def test_a_trace_links_the_request_the_task_and_the_upstream_post(spans, upstream):
    reseller, customer, _ = upstream
    product = Product.objects.filter(
        active=True, segment="commercial", offer_attestation_required=False
    ).order_by("pk")[0]
    staff = UserFactory(reseller=reseller)
    token = api_token_create(reseller=reseller, name="ERP", created_by=staff)
    body = payload(
        customer,
        [product],
        tenant={"preference": "new", "domain": f"tr{uuid.uuid4().hex[:10]}.onmicrosoft.com"},
    )

    # The worker thread's database connection closes after each task, so the test
    # database can be dropped at the end (another thread's connection is out of reach).
    task_postrun.connect(close_thread_connection)
    with start_worker(
        app, pool="solo", perform_ping_check=False, queues=["submit", "poll", "default"]
    ):
        response = Client().post(
            "/api/v1/orders",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token.secret}",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 201, response.content
        order = Order.objects.get(reseller=reseller)
        wait_for_status(order, {"submitted", "processing", "completed"}, timeout=60)

    task_postrun.disconnect(close_thread_connection)
    finished = spans.get_finished_spans()
    request = next(
        s for s in finished if s.kind == SpanKind.SERVER and "orders" in s.name and s.parent is None
    )
    trace_id = request.context.trace_id
    in_trace = [s for s in finished if s.context.trace_id == trace_id]
    by_id = {s.context.span_id: s for s in in_trace}

    publish = next(s for s in in_trace if s.kind == SpanKind.PRODUCER)
    run = next(s for s in in_trace if s.kind == SpanKind.CONSUMER)
    post = next(
        s
        for s in in_trace
        if s.kind == SpanKind.CLIENT
        and s.attributes.get("http.request.method", s.attributes.get("http.method")) == "POST"
        and str(s.attributes.get("url.full", s.attributes.get("http.url"))).endswith("/orders")
    )

    def ancestors(span):
        while span.parent is not None and span.parent.span_id in by_id:
            span = by_id[span.parent.span_id]
            yield span

    assert request in ancestors(publish)
    assert "orders.submit_order" in publish.name and "orders.submit_order" in run.name
    assert publish in ancestors(run)
    assert run in ancestors(post)
    assert request.attributes["order.reference"] == order.reference
    assert run.attributes["order.reference"] == order.reference
    exchange = order.exchanges.get(operation="create_order")
    assert post.attributes["marketplace.correlation_id"] == exchange.correlation_id


def test_tracing_is_off_without_an_endpoint(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.setattr(tracing, "_started", False)
    assert tracing.tracing_start() is False
