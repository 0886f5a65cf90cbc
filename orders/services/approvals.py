"""Reseller approval of end customers' self-service orders: hold, approve, decline.

A reseller may require that an order its end customer places is held until one of
its staff approves it. A held order is ``awaiting_approval``: nothing is sent
upstream and the sweeper does not see it. Approval makes it ``placed`` (and it is
sent as any other order); a decline is final and carries the reason.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
            cause=f"Approved by {user.get_username()}.",
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
            cause=f"Declined by {user.get_username()}: {reason}",
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
    recipients = order.reseller.staff_emails()
    _send(
        f"{order.customer.company_name} asks you to approve order {order.reference}",
        "orders/email/approval_requested.txt",
        {"order": order, "url": _absolute(reverse("approvals:queue"))},
        recipients,
    )


def notify_customer_of_decision(order_id: int) -> None:
    """Tell the customer's users whether their order was approved or declined."""
    order = Order.objects.select_related("customer", "reseller").get(pk=order_id)
    recipients = list(
        order.customer.users.filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    approved = order.status != Order.Status.DECLINED
    _send(
        f"Order {order.reference} was {'approved' if approved else 'declined'}",
        "orders/email/approval_decided.txt",
        {
            "order": order,
            "approved": approved,
            "url": _absolute(reverse("orders:detail", kwargs={"reference": order.reference})),
        },
        recipients,
    )


def _absolute(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _send(subject, template, context, recipients):
    if not recipients:
        logger.info("Order %s: no recipient for %r", context["order"].reference, subject)
        return
    try:
        send_mail(subject, render_to_string(template, context), None, recipients)
    except Exception:
        # The order page and the queue always show the same news.
        logger.exception("Order %s: could not send %r", context["order"].reference, subject)
