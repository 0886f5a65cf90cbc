"""The marketplace's answer to a POST /orders, kept when the database cannot take it.

The order was created upstream and the worker holds its id, but writing that down
failed (PostgreSQL restarting). Without the answer the order would wait in
``submitting`` until presumed stale, then for reconciliation: minutes. So the answer
is kept in Redis (the Django cache), the task fails and is retried (orders.tasks), and
the retry, or the next sweep, records the answer as soon as the database is back.
"""

import logging
from contextlib import contextmanager

from django.core.cache import cache
from django.db import DatabaseError, IntegrityError

from marketplace.session import last_response
from marketplace.types import Order as UpstreamOrder

from .exchanges import redacted

logger = logging.getLogger(__name__)

#: Long enough for any database outage the pipeline rides out; reconciliation covers the rest.
KEEP_SECONDS = 24 * 3600


def _key(order_id: int) -> str:
    return f"orders:kept-answer:{order_id}"


class Answer:
    """Filled in by the caller once the marketplace has answered."""

    upstream = None


@contextmanager
def answer_kept_on_database_error(order):
    """Keep ``answer.upstream`` (set inside the block) if the block fails to write it down."""
    answer = Answer()
    try:
        yield answer
    except DatabaseError as error:
        if answer.upstream is not None and not isinstance(error, IntegrityError):
            _keep(order, answer.upstream)
        raise


def _keep(order, upstream) -> None:
    answered = last_response.get()
    body = answered[1] if answered and isinstance(answered[1], dict) else None
    kept = {"body": redacted(body) if body is not None else None, "id": upstream.id}
    try:
        cache.set(_key(order.pk), kept, KEEP_SECONDS)
    except Exception:  # noqa: BLE001 - Redis down too: reconciliation will find the order
        logger.exception("Order %s: could not keep the marketplace's answer", order.reference)
        return
    logger.warning(
        "Order %s: accepted upstream as %s, but the database could not record it; answer kept",
        order.reference,
        upstream.order_number or upstream.id,
    )


def kept_answer(order_id: int) -> UpstreamOrder | None:
    """Return the marketplace's kept answer about the order, if there is one."""
    return _parsed(cache.get(_key(order_id)))


def kept_answers(order_ids) -> dict[int, UpstreamOrder]:
    """Return the kept answers among ``order_ids`` (one Redis round trip)."""
    keys = {_key(pk): pk for pk in order_ids}
    found = cache.get_many(list(keys)) if keys else {}
    return {keys[key]: _parsed(kept) for key, kept in found.items() if kept}


def _parsed(kept) -> UpstreamOrder | None:
    if not kept:
        return None
    body = kept.get("body")
    if isinstance(body, dict) and body.get("id") == kept["id"]:
        return UpstreamOrder.from_api(body)
    return UpstreamOrder(id=kept["id"], order_number="", type="", customer_id="", status="")


def kept_answer_forget(order_id: int) -> None:
    cache.delete(_key(order_id))
