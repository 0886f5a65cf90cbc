"""Reseller approval of end customers' self-service orders: hold, approve, decline.

A reseller may require that an order its end customer places is held until one of
its staff approves it. A held order is ``awaiting_approval``: nothing is sent
upstream and the sweeper does not see it. Approval makes it ``placed`` (and it is
sent as any other order); a decline is final and carries the reason.
"""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mail.services import Recipient, email_send, user_recipient

from .. import cause_words, mail_kinds
from ..dispatch import enqueue_submit
from ..lifecycle import TransitionRefused, order_transition
from ..models import Order
from .changes import ChangeRefused, actor_for

logger = logging.getLogger(__name__)

DECLINE_REASON_MAX_LENGTH = 500


def needs_approval(*, reseller, channel: str) -> bool:
    """Tell whether an order placed through ``channel`` waits for the reseller's approval."""
    return channel == Order.Channel.SELF_SERVICE and reseller.self_service_approval_required


def order_approve(*, order: Order, user) -> Order:
    """Release a held order for submission; record who approved it."""
    try:
        order_transition(
            order,
            "approve",
            actor=actor_for(user),
            actor_user=user,
            cause=cause_words.APPROVED_BY % {"user": user.get_username()},
        )
    except TransitionRefused as refused:
        raise ChangeRefused(_not_waiting(refused.order)) from refused
    transaction.on_commit(lambda: enqueue_submit(order.pk))
    return order


def order_decline(*, order: Order, user, reason: str) -> Order:
    """Refuse a held order for good, with the reason the customer will read."""
    reason = " ".join(reason.split())
    if not reason:
        raise ChangeRefused(_("Say why the order is declined: the customer will read it."))
    try:
        order_transition(
            order,
            "decline",
            actor=actor_for(user),
            actor_user=user,
            cause=cause_words.DECLINED_BY % {"user": user.get_username(), "reason": reason},
            changes={"failure_message": reason[:DECLINE_REASON_MAX_LENGTH]},
        )
    except TransitionRefused as refused:
        raise ChangeRefused(_not_waiting(refused.order)) from refused
    return order


def _not_waiting(order) -> str:
    return (
        f"Order {order.reference} is no longer waiting for approval; it is "
        f"{order.get_status_display().lower()}."
    )


def notify_reseller_of_request(order_id: int) -> None:
    """Tell the reseller's staff that an end customer's order waits for them."""
    order = Order.objects.select_related("customer", "reseller").get(pk=order_id)
    staff = order.reseller.staff.filter(is_active=True).exclude(email="")
    email_send(
        key=mail_kinds.APPROVAL_REQUESTED,
        reseller=order.reseller,
        recipients=[user_recipient(user) for user in staff],
        context=lambda: mail_kinds.approval_context(order),
    )


def notify_customer_of_decision(order_id: int) -> None:
    """Tell the customer's users whether their order was approved or declined."""
    order = Order.objects.select_related("customer", "reseller").get(pk=order_id)
    users = order.customer.users.filter(is_active=True).exclude(email="")
    email_send(
        key=mail_kinds.APPROVAL_DECIDED,
        reseller=order.reseller,
        # An end customer's person reads their own language, else the customer's.
        recipients=[
            Recipient(user.email, user.language or order.customer.language) for user in users
        ],
        context=lambda: mail_kinds.approval_context(order),
    )
