"""Orders' own e-mails listen to order events: each mail, which event sends it, and to whom.

Registered in ``OrdersConfig.ready``, as other rooms register theirs; the pipeline and the
services only record what happened (``orders.events``). A mail is outside the database, so a
listener sends it with ``transaction.on_commit``: only once its receipt has committed, and never
again for an event handed out a second time.

- ``completed`` / ``seats_changed``: the completion mail (its own task), unless the detail is
  still to be read; then ``details_recorded`` sends it;
- ``failed``: the failure mail, at once for a refusal, as its own task for a provisioning
  failure or an order closed as stuck; none for an order that could not be mapped;
- ``waiting_for_approval``: the reseller's staff hear that an order waits for their approval;
- ``approved`` / ``declined``: the customer's users hear the reseller's decision;
- ``cancellation_requested``: the reseller's staff, when the end customer cancelled it.
"""

from functools import partial

from django.db import transaction

from . import events
from .dispatch import enqueue_completion_notice, enqueue_failure_notice
from .models import OrderEvent
from .notifications import notify_failure
from .services.approvals import notify_customer_of_decision, notify_reseller_of_request
from .services.self_service import notify_reseller_of_cancellation

LISTENER = "orders.mail"


def _after_commit(send, order_event) -> None:
    transaction.on_commit(partial(send, order_event.order_id))


def mail_on_completion(order_event) -> None:
    """Completed with its detail in hand; else the mail waits for ``details_recorded``."""
    if not events.details_pending_at(order_event):
        # The e-mail is its own task: a slow mail server never holds a poll.
        _after_commit(enqueue_completion_notice, order_event)


def mail_on_details_recorded(order_event) -> None:
    _after_commit(enqueue_completion_notice, order_event)


#: How each failure reaches the reseller; an order that could not be mapped sends no mail.
FAILURE_MAIL = {
    events.Failure.REFUSED: notify_failure,
    events.Failure.PROVISIONING: enqueue_failure_notice,
    events.Failure.CLOSED: enqueue_failure_notice,
}


def mail_on_failure(order_event) -> None:
    send = FAILURE_MAIL.get(events.failure_of(order_event))
    if send is not None:
        _after_commit(send, order_event)


def mail_on_cancellation_requested(order_event) -> None:
    """Only a cancellation the end customer asked for themselves (self-service) is mailed."""
    if order_event.actor == OrderEvent.Actor.CUSTOMER:
        _after_commit(notify_reseller_of_cancellation, order_event)


MAILS = {
    events.Kind.COMPLETED: mail_on_completion,
    events.Kind.SEATS_CHANGED: mail_on_completion,
    events.Kind.DETAILS_RECORDED: mail_on_details_recorded,
    events.Kind.FAILED: mail_on_failure,
    events.Kind.WAITING_FOR_APPROVAL: partial(_after_commit, notify_reseller_of_request),
    events.Kind.APPROVED: partial(_after_commit, notify_customer_of_decision),
    events.Kind.DECLINED: partial(_after_commit, notify_customer_of_decision),
    events.Kind.CANCELLATION_REQUESTED: mail_on_cancellation_requested,
}


def register() -> None:
    for kind, handle in MAILS.items():
        events.listen(kind, LISTENER, handle)
