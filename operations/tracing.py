"""OpenTelemetry across the web request, the Celery task it enqueues and every upstream call.

Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: then nothing of the SDK is imported and
no instrumentation is installed, and ``orders.observe.order_observe`` sets nothing on
the API's non-recording span. The exporter reads the standard OTEL_*
variables (endpoint, headers, OTEL_SERVICE_NAME).
"""

import os

from opentelemetry import trace

_started = False


def tracing_start(*, span_processor=None) -> bool:
    """Install the tracer and the Django, Celery and httpx instrumentations; once per process.

    ``span_processor`` replaces the OTLP exporter (a test passes the SDK's in-memory one).
    Return whether tracing is on.
    """
    global _started
    if _started:
        return True
    if span_processor is None and not os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return False
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider

    if span_processor is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        span_processor = BatchSpanProcessor(OTLPSpanExporter())
    service = os.environ.get("OTEL_SERVICE_NAME", "nce-orders")
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(span_processor)
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument(tracer_provider=provider)
    CeleryInstrumentor().instrument(tracer_provider=provider)
    HTTPXClientInstrumentor().instrument(
        tracer_provider=provider, response_hook=_correlation_id_attribute
    )
    _started = True
    return True


def _correlation_id_attribute(span, request, response):
    """Put the marketplace's correlation id on the span of the call that answered it."""
    headers = response.headers  # an httpx.Headers: case-insensitive
    correlation_id = headers.get("X-Correlation-ID") if headers is not None else None
    if correlation_id and span.is_recording():
        span.set_attribute("marketplace.correlation_id", correlation_id)
