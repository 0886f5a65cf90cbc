"""Send a placed order to the marketplace, exactly once.

The claim (``placed`` → ``submitting``) is a conditional UPDATE committed
before the request goes out, so two workers can never both send an order.
What happens next depends on what the answer proves:

* nothing was sent (connection refused, 429, 401): back to ``placed``, retried later;
* accepted: ``submitted``, with the upstream id and number, and polled from then on;
* refused with a reason: ``failed``, the reason kept and explained;
* anything else (timeout after sending, dropped connection, 5xx gateway): ``unknown``,
  and ``orders.pipeline.reconciliation`` looks for it before anything is sent again.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from marketplace.exceptions import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    MarketplaceError,
    OrderOutcomeUnknown,
    RateLimitError,
)

from .. import cause_words
from ..dispatch import enqueue_poll, enqueue_reconcile, enqueue_submit
from ..error_catalogue import stored_words
from ..guidance import upstream_error_seen
from ..lifecycle import Actor, TransitionRefused, order_transition
from ..models import Order
from ..observe import order_observe
from ..refunds import order_refund_record
from ..upstream_mapping import NotMappable, order_to_input
from .budget import pause_connection, paused_until
from .clients import pipeline_client
from .conf import countdown, poll_delay, retry_delay, seconds, setting
from .exchanges import recorded
from .kept_answers import answer_kept_on_database_error, kept_answer, kept_answer_forget

logger = logging.getLogger(__name__)


def order_submit(order_id: int) -> None:
    """Claim the order and send it, if it is still placed and due."""
    order = _load(order_id)
    if order is None or kept_answer_record(order):
        return
    if order.status != Order.Status.PLACED:
        return
    now = timezone.now()
    if order.next_attempt_at and order.next_attempt_at > now:
        return  # not due yet: the sweeper enqueues it again when it is
    pause = paused_until(order.reseller.connection_id)
    if pause is not None:
        Order.objects.filter(pk=order.pk, status=Order.Status.PLACED).update(next_attempt_at=pause)
        return
    attempt = order.submit_attempts + 1
    try:
        order_transition(
            order,
            "claim_for_submission",
            actor=Actor.WORKER,
            cause=cause_words.SENDING % {"attempt": attempt},
            changes={"claimed_at": now, "submit_attempts": attempt, "next_attempt_at": None},
        )
    except TransitionRefused:
        return  # another worker has it
    _send(order)


def _load(order_id) -> Order | None:
    order = (
        Order.objects.select_related("customer", "reseller__connection", "subscription")
        .filter(pk=order_id)
        .first()
    )
    if order is not None:
        order_observe(order)
    return order


def _send(order: Order) -> None:
    try:
        order_input = order_to_input(order)
    except NotMappable as exc:
        _settle(
            order,
            "fail",
            cause=exc.message,
            changes={
                "failure_message": exc.message,
                # Stored in English and shown translated: a msgid, like the catalogue's advice.
                "failure_guidance": gettext_noop(
                    "Check the customer's details, then resubmit the order."
                ),
            },
        )
        return
    client = pipeline_client(order.reseller)
    # The answer in hand survives a database that cannot take it (kept_answers).
    with answer_kept_on_database_error(order) as answer:
        try:
            with recorded(order, "create_order", "POST", "orders", order_input.to_api()):
                upstream = answer.upstream = client.create_order(order=order_input)
        except (RateLimitError, AuthenticationError) as exc:
            _not_sent(order, exc)
        except APIConnectionError as exc:
            if exc.request_sent:
                _outcome_unknown(order, exc)
            else:
                _not_sent(order, exc)
        except OrderOutcomeUnknown as exc:
            _outcome_unknown(order, exc)
        except APIStatusError as exc:
            _refused(order, exc)
        except MarketplaceError as exc:
            _outcome_unknown(order, exc)
        else:
            _accepted(
                order,
                upstream,
                cause=cause_words.ACCEPTED % {"number": upstream.order_number or upstream.id},
            )


def kept_answer_record(order: Order) -> bool:
    """Record the marketplace's answer kept while the database was down; False if none."""
    if order.status not in (Order.Status.SUBMITTING, Order.Status.UNKNOWN):
        return False
    upstream = kept_answer(order.pk)
    if upstream is None:
        return False
    _accepted(
        order,
        upstream,
        cause=cause_words.ACCEPTED_WHILE_DOWN % {"number": upstream.order_number or upstream.id},
    )
    kept_answer_forget(order.pk)
    return True


def _accepted(order: Order, upstream, *, cause: str, actor=Actor.UPSTREAM) -> None:
    now = timezone.now()
    delay = poll_delay(0)
    settled = _settle(
        order,
        "accept",
        cause=cause,
        actor=actor,
        changes={
            "upstream_order_id": upstream.id,
            "upstream_order_number": upstream.order_number,
            "upstream_status": upstream.status,
            "upstream_status_code": upstream.status_code,
            "submitted_at": now,
            "next_poll_at": now + timedelta(seconds=delay),
            "unknown_since": None,
            "next_attempt_at": None,
        },
    )
    if settled:
        order_refund_record(order, upstream)
        transaction.on_commit(lambda: enqueue_poll(order.pk, countdown=countdown(delay)))


def _not_sent(order: Order, exc: MarketplaceError) -> None:
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(exc, RateLimitError):
        delay = retry_delay(order.submit_attempts, retry_after)
        pause_connection(order.reseller.connection_id, delay)
        why = cause_words.SLOWED_DOWN
    elif isinstance(exc, AuthenticationError):
        delay = retry_delay(order.submit_attempts)
        why = cause_words.CREDENTIALS_REFUSED
        logger.error("Order %s: marketplace authentication failed: %s", order.reference, exc)
    else:
        delay = retry_delay(order.submit_attempts)
        why = cause_words.UNREACHABLE
    next_attempt_at = timezone.now() + timedelta(seconds=delay)
    settled = _settle(
        order,
        "release",
        cause=why % {"seconds": round(delay)},
        actor=Actor.WORKER,
        correlation_id=exc.correlation_id,
        changes={
            "next_attempt_at": next_attempt_at,
            "unknown_since": None,
        },
    )
    if settled and countdown(delay) is not None:
        transaction.on_commit(lambda: enqueue_submit(order.pk, countdown=delay))


def _outcome_unknown(order: Order, exc: MarketplaceError) -> None:
    interval = float(setting("RECONCILE_INTERVAL_SECONDS"))
    now = timezone.now()
    settled = _settle(
        order,
        "lose_track",
        cause=cause_words.NO_CLEAR_ANSWER % {"message": exc.message},
        actor=Actor.WORKER,
        correlation_id=exc.correlation_id,
        changes={
            "unknown_since": now,
            "next_attempt_at": now + timedelta(seconds=interval),
        },
    )
    if settled:
        transaction.on_commit(lambda: enqueue_reconcile(order.pk, countdown=countdown(interval)))


def _refused(order: Order, exc: APIStatusError) -> None:
    guidance = upstream_error_seen(exc.message, order=order)
    # The reseller's failure mail listens to the failed event (orders/listeners.py); a refusal
    # for the missing relationship is the tracker's to watch (relationships/listeners.py).
    _settle(
        order,
        "fail",
        cause=cause_words.REFUSED % {"message": exc.message},
        actor=Actor.UPSTREAM,
        correlation_id=exc.correlation_id,
        changes={
            "failure_message": exc.message or f"HTTP {exc.status_code}",
            "failure_guidance": stored_words(guidance.advice),
        },
    )


def _settle(order, transition_name, *, cause, actor=Actor.WORKER, correlation_id="", changes=None):
    """Apply the outcome of a send; if the sweeper meanwhile marked the order unknown, from there.

    Return False when the order had already moved on (the outcome is then logged only).
    """
    for _ in range(2):
        try:
            order_transition(
                order,
                transition_name,
                actor=actor,
                cause=cause,
                correlation_id=correlation_id or "",
                changes=changes,
            )
            return True
        except TransitionRefused as refused:
            if refused.current_status != Order.Status.UNKNOWN or transition_name == "lose_track":
                break
    logger.warning(
        "Order %s: outcome %s arrived after the order moved to %s (%s)",
        order.reference,
        transition_name,
        order.status,
        cause,
    )
    return False


def release_stale_submissions() -> int:
    """Mark orders whose worker went silent in ``submitting`` as unknown; return how many."""
    stale_before = timezone.now() - seconds("SUBMIT_STALE_SECONDS")
    count = 0
    for order in Order.objects.filter(status=Order.Status.SUBMITTING, claimed_at__lt=stale_before):
        now = timezone.now()
        try:
            order_transition(
                order,
                "lose_track",
                actor=Actor.SYSTEM,
                cause=(
                    "The worker sending this order stopped without an answer. Checking with the "
                    "marketplace before anything is sent again."
                ),
                changes={"unknown_since": now, "next_attempt_at": now},
            )
        except TransitionRefused:
            continue
        count += 1
        transaction.on_commit(lambda pk=order.pk: enqueue_reconcile(pk))
    return count
