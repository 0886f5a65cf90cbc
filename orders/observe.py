"""Name the order a request or task is about, on its log lines and its trace span."""

from opentelemetry import trace
from structlog.contextvars import bind_contextvars


def order_observe(order) -> None:
    """Put the order's reference and reseller on every log line that follows, and on the span.

    The binding lasts until the request or task ends: django-structlog clears the
    context when the next one starts. With tracing off the current span is the API's
    non-recording one, and nothing is set.
    """
    bind_contextvars(order_reference=order.reference, reseller_id=order.reseller_id)
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute("order.reference", order.reference)
