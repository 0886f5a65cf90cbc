"""The one way an order changes state: apply the transition, save it conditionally, record it.

Every move of ``Order.status`` goes through ``order_transition``. The save is a
conditional UPDATE (``... WHERE id = %s AND status = <the status we read>``),
so when two workers race for the same move only one of them wins; the loser
gets ``TransitionRefused`` and nothing it did is kept.
"""

import logging

from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from . import events
from .models import Order, OrderEvent

logger = logging.getLogger(__name__)

Actor = OrderEvent.Actor


class TransitionRefused(Exception):
    """The move is not allowed from the order's current state, or another process moved it first."""

    def __init__(self, order, transition_name, current_status):
        self.order = order
        self.transition_name = transition_name
        self.current_status = current_status
        super().__init__(
            f"Order {order.reference}: cannot {transition_name} from {current_status}."
        )


def order_transition(
    order: Order,
    transition_name: str,
    *,
    actor: str,
    cause: str,
    actor_user=None,
    correlation_id: str = "",
    changes: dict | None = None,
) -> Order:
    """Move ``order`` by ``transition_name``, save ``changes`` with it, and record the event.

    Raise ``TransitionRefused`` (with ``order`` reloaded from the database) when
    the move is illegal from the stored state or another process got there first.
    """
    transition = getattr(type(order), transition_name, None)
    if transition is None or not hasattr(transition, "_django_fsm"):
        raise ValueError(f"{transition_name!r} is not a transition of Order.")
    from_status = order.status
    try:
        with transaction.atomic():
            getattr(order, transition_name)()
            for name, value in (changes or {}).items():
                setattr(order, name, value)
            order.save()
            event = OrderEvent.objects.create(
                order=order,
                from_status=from_status,
                to_status=order.status,
                action=transition_name,
                cause=cause,
                actor=actor,
                actor_user=actor_user,
                correlation_id=correlation_id or "",
            )
            events.publish(event)
    except (TransitionNotAllowed, ConcurrentTransition) as exc:
        order.refresh_from_db()
        logger.info("Order %s: %s refused (%s)", order.reference, transition_name, exc)
        raise TransitionRefused(order, transition_name, order.status) from exc
    return order


def order_record(
    order: Order,
    action: str,
    *,
    actor: str,
    cause: str,
    actor_user=None,
    correlation_id: str = "",
    publish: bool = False,
) -> OrderEvent:
    """Record something done to ``order`` that does not change its state (e.g. a re-poll).

    With ``publish``, the event also goes to its listeners after commit (``orders.events``), as
    every transition does; the default records it in the history only.
    """
    event = OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        action=action,
        cause=cause,
        actor=actor,
        actor_user=actor_user,
        correlation_id=correlation_id or "",
    )
    if publish:
        events.publish(event)
    return event


def allowed_transitions(order: Order) -> list[str]:
    """Return the names of the transitions the order may take from its current state."""
    return [t.name for t in order.get_available_status_transitions()]
