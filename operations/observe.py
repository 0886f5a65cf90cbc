"""Name the order a request or task is about, on its log lines and its trace span."""

from structlog.contextvars import bind_contextvars

from .tracing import order_span_annotate


def order_observe(order) -> None:
    """Put the order's reference and reseller on every log line that follows, and on the span.

    The binding lasts until the request or task ends: django-structlog clears the
    context when the next one starts.
    """
    bind_contextvars(order_reference=order.reference, reseller_id=order.reseller_id)
    order_span_annotate(order)
