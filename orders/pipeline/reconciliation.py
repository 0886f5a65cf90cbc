"""Find out whether an order whose send was ambiguous exists upstream.

The marketplace has no idempotency key; our reference travels in the
poNumber. Found: the order is adopted as submitted. "Not found" counts only
when the search provably covered every order of the customer created since
before our first send (``marketplace.search``) and the settling period has
passed (long enough for a slow POST to have landed): only then does the order
go back to ``placed`` to be sent again. An incomplete search (a page failed,
a filter was ignored, the window too full) proves nothing: the order stays
``unknown`` and is looked for again; after ``RECONCILE_MAX_INCOMPLETE`` such
searches it is put before a person (an event on its history, the admin's
"Needs a person" filter, support's list), still never sent again on a guess.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from marketplace.exceptions import RateLimitError

from ..dispatch import enqueue_reconcile, enqueue_submit
from ..lifecycle import Actor, TransitionRefused, order_record, order_transition
from ..models import Order, OrderEvent, UpstreamExchange
from ..observe import order_observe
from .clients import pipeline_client
from .conf import countdown, seconds, setting
from .exchanges import recorded
from .reference_echo import reference_search_trusted
from .submission import _accepted, kept_answer_record

logger = logging.getLogger(__name__)

#: Look at upstream orders created from a little before our first send (clocks differ).
CLOCK_SKEW = timedelta(minutes=10)
#: The exchange each search is recorded as; its response body says what was covered.
SEARCH_OPERATION = "search_orders"
#: The history event that hands the order to a person.
ESCALATED = "reconcile_escalated"


def order_reconcile(order_id: int, *, actor=Actor.WORKER, actor_user=None) -> None:
    """Look the order up upstream by its reference and settle its state."""
    order = (
        Order.objects.select_related("customer", "reseller__connection")
        .filter(pk=order_id, status=Order.Status.UNKNOWN)
        .first()
    )
    if order is None or kept_answer_record(order):
        return
    order_observe(order)
    search = order_search_upstream(order)
    if search.found is not None:
        _accepted(
            order,
            search.found,
            actor=actor,
            cause=(
                f"Found upstream as {search.found.order_number or search.found.id} after the "
                "answer to our request was lost; adopted it instead of sending it again. "
                + search.summary()
            ),
        )
        return
    if not search.complete:
        _incomplete(order, search)
        return
    if not reference_search_trusted(order.reseller.connection_id):
        _untrusted(order, search)
        return
    unknown_since = order.unknown_since or order.claimed_at or order.placed_at
    if timezone.now() - unknown_since < seconds("RECONCILE_SETTLE_SECONDS"):
        _check_again(order, float(setting("RECONCILE_INTERVAL_SECONDS")))
        return
    try:
        order_transition(
            order,
            "release",
            actor=actor,
            actor_user=actor_user,
            cause=(
                f"Not found upstream {round((timezone.now() - unknown_since).total_seconds())} s "
                f"after the uncertain send, by a search that covered every order it could be: "
                f"it was never created. Sending it again. {search.summary()}"
            ),
            changes={"unknown_since": None, "next_attempt_at": None},
        )
    except TransitionRefused:
        return
    transaction.on_commit(lambda: enqueue_submit(order.pk))


def order_search_upstream(order: Order):
    """Search the customer's upstream orders for ``order``'s reference; record what was covered."""
    client = pipeline_client(order.reseller)
    created_from = search_window_start(order)
    customer_id = order.customer.upstream_customer_id
    with recorded(
        order,
        SEARCH_OPERATION,
        "GET",
        f"orders?customerId={customer_id}&creationTimeFrom={created_from:%Y-%m-%dT%H:%M:%SZ}",
        {"reference": order.reference},
    ) as exchange:
        search = client.search_order_by_reference(
            customer_id=customer_id,
            reference=order.reference,
            created_from=created_from,
            skip_ids=_known_upstream_ids(order, created_from) | earlier_attempts_ids(order),
            max_orders=int(setting("RECONCILE_MAX_ORDERS")),
            page_size=int(setting("RECONCILE_PAGE_SIZE")),
        )
        record = search.as_record()
        if search.error is not None:
            record["error"] = str(search.error)
        exchange.answered(record, status_code=getattr(search.error, "status_code", None) or 200)
    return search


def search_window_start(order: Order):
    """Return a moment safely before the order's first send (it was placed before that)."""
    return order.placed_at - CLOCK_SKEW


def _known_upstream_ids(order: Order, created_from) -> set[str]:
    """Upstream ids of our other orders for the customer (their poNumber has another reference)."""
    return set(
        Order.objects.filter(customer_id=order.customer_id, submitted_at__gte=created_from)
        .exclude(pk=order.pk)
        .exclude(upstream_order_id="")
        .values_list("upstream_order_id", flat=True)
    )


def earlier_attempts_ids(order: Order) -> set[str]:
    """Upstream ids of the order's earlier attempts (a resubmission after a failure upstream).

    They carry the same reference in their poNumber, so a search would take the failed
    first attempt for the one whose answer was lost. While the order is unknown its
    ``upstream_order_id`` is an earlier attempt's (an accepted attempt is never unknown);
    older ones are in its exchanges from before this attempt's claim: what a POST /orders
    answered, and each detail read.
    """
    ids = {order.upstream_order_id} if order.upstream_order_id else set()
    exchanges = UpstreamExchange.objects.filter(
        order=order, operation__in=("create_order", "get_order"), error=""
    )
    if order.claimed_at:  # never this attempt's own answer, should one have been recorded
        exchanges = exchanges.filter(started_at__lt=order.claimed_at)
    for operation, path, body in exchanges.values_list("operation", "path", "response_body"):
        if operation == "get_order":
            ids.add(path.removeprefix("orders/"))
        elif isinstance(body, dict) and body.get("id"):
            ids.add(str(body["id"]))
    return ids


def _incomplete(order: Order, search) -> None:
    interval = float(setting("RECONCILE_INTERVAL_SECONDS"))
    if isinstance(search.error, RateLimitError) and search.error.retry_after:
        interval = max(interval, float(search.error.retry_after))
    logger.warning("Order %s: %s", order.reference, search.summary())
    unknown_since = order.unknown_since or order.placed_at
    escalated = order_is_escalated(order)
    if escalated:
        interval = max(interval, float(setting("RECONCILE_ESCALATED_INTERVAL_SECONDS")))
    else:
        failed = UpstreamExchange.objects.filter(
            order=order,
            operation=SEARCH_OPERATION,
            started_at__gte=unknown_since,
            response_body__complete=False,
        ).count()
        if failed >= int(setting("RECONCILE_MAX_INCOMPLETE")):
            order_record(
                order,
                ESCALATED,
                actor=Actor.SYSTEM,
                cause=(
                    f"{failed} searches of the marketplace could not cover every order this one "
                    f"could be, so whether it was created is not known; it will not be sent "
                    f"again on a guess. Check the marketplace for poNumber {order.reference} "
                    f"(customer {order.customer.upstream_customer_id}), then adopt or resubmit "
                    f"it. Last search: {search.summary()}"
                ),
            )
    _check_again(order, interval)


def _untrusted(order: Order, search) -> None:
    """A search found nothing on a connection whose marketplace dropped our reference once."""
    if not order_is_escalated(order):
        connection = order.reseller.connection
        order_record(
            order,
            ESCALATED,
            actor=Actor.SYSTEM,
            cause=(
                f"Not found by reference, but this marketplace returned order "
                f"{connection.reference_dropped_order} without our reference in its poNumber, so "
                f"not finding it proves nothing; it will not be sent again on a guess. Check the "
                f"marketplace for this order (customer {order.customer.upstream_customer_id}, "
                f"placed {order.placed_at:%Y-%m-%d %H:%M} UTC), then adopt or resubmit it. "
                f"Last search: {search.summary()}"
            ),
        )
    _check_again(order, float(setting("RECONCILE_ESCALATED_INTERVAL_SECONDS")))


def order_is_escalated(order: Order) -> bool:
    """Tell whether the order, unknown now, was handed to a person since it became unknown."""
    since = order.unknown_since or order.placed_at
    return order.events.filter(action=ESCALATED, created_at__gte=since).exists()


def orders_needing_a_person():
    """Unknown orders whose searches could not settle them: for admin and support."""
    escalated = OrderEvent.objects.filter(
        order_id=OuterRef("pk"), action=ESCALATED, created_at__gte=OuterRef("unknown_since")
    )
    return Order.objects.filter(Exists(escalated), status=Order.Status.UNKNOWN)


def _check_again(order: Order, interval: float) -> None:
    Order.objects.filter(pk=order.pk, status=Order.Status.UNKNOWN).update(
        next_attempt_at=timezone.now() + timedelta(seconds=interval)
    )
    if countdown(interval) is not None:
        transaction.on_commit(lambda: enqueue_reconcile(order.pk, countdown=interval))
