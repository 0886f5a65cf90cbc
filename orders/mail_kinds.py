"""The order e-mails a reseller may reword (mail/), their variables and plain contexts."""

from django.conf import settings
from django.urls import reverse
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from catalog.money import format_money
from catalog.price_words import order_amounts
from customers.templatetags.words import moment
from mail.registry import EmailKind, register

from .models import Order
from .refunds import refund_of

APPROVAL_REQUESTED = "approval_requested"
APPROVAL_DECIDED = "approval_decided"
SELF_SERVICE_CANCELLED = "self_service_cancelled"
COMPLETED = "order_completed"
COMPLETED_CUSTOMER = "order_completed_customer"
FAILED = "order_failed"

_ORDER = {
    "reference": _("the order's reference"),
    "customer_name": _("the customer's company name"),
    "reseller_name": _("your company's name"),
    "marketplace_order_number": _("the marketplace's order number (may be empty)"),
    "url": _("the order's page"),
}
_SUBSCRIPTIONS = {
    "subscriptions": _(
        "the subscriptions: each has product, seats, tenant_domain and cancellable_until"
    ),
}


def _url(name, **kwargs) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + reverse(name, kwargs=kwargs)


def order_context(order: Order) -> dict:
    """The plain values every order e-mail may use."""
    return {
        "reference": order.reference,
        "customer_name": order.customer.company_name,
        "reseller_name": order.reseller.name,
        "marketplace_order_number": order.upstream_order_number or "",
        "url": _url("orders:detail", reference=order.reference),
        "lines": [{"quantity": line.quantity, "name": line.name} for line in order.lines.all()],
        "subscriptions": [
            {
                "product": subscription.product.name,
                "seats": subscription.seats,
                "tenant_domain": subscription.tenant_domain or "",
                "cancellable_until": moment(subscription.cancellation_window_ends_at, "zone"),
            }
            for subscription in order.subscriptions.select_related("product")
        ],
        "payment": f"{order.reseller.get_payment_method_display()}. {order.reseller.payment_words}",
        "refund": _refund(order),
    }


def _refund(order) -> dict:
    refund = refund_of(order)
    if not refund:
        return {}
    ours = refund.our_estimate if refund.differs_from_estimate else None
    return {
        "label": str(refund.label),
        "amount": str(refund.amount),
        "currency": refund.currency,
        "money": format_money(refund.amount, refund.currency),
        "note": str(refund.note),
        "our_estimate": "" if ours is None else str(ours),
        "our_estimate_money": "" if ours is None else format_money(ours, refund.currency),
    }


def approval_context(order: Order) -> dict:
    return {
        **order_context(order),
        "totals": get_text_list(order_amounts(order, order.lines.all()), _("and")),
        "queue_url": _url("approvals:queue"),
        "approved": order.status != Order.Status.DECLINED,
        "reason": order.failure_message if order.status == Order.Status.DECLINED else "",
    }


def cancellation_context(order: Order) -> dict:
    return {
        **order_context(order),
        "cancellations": [
            {
                "reference": f.reference,
                "refund": str(f.total),
                "currency": f.currency,
                "refund_money": format_money(f.total, f.currency),
            }
            for f in order.follow_ups.all()
            if f.kind == Order.Kind.CANCELLATION
        ],
    }


def _latest(reseller, **filters):
    order = (
        Order.objects.filter(reseller=reseller, **filters)
        .select_related("customer", "reseller")
        .order_by("-pk")
        .first()
    )
    return order


def _preview_completed(reseller):
    order = _latest(reseller, status=Order.Status.COMPLETED) or _latest(reseller)
    return order_context(order) if order else None


def _preview_failed(reseller):
    order = _latest(reseller, status=Order.Status.FAILED) or _latest(reseller)
    if order is None:
        return None
    return {
        **order_context(order),
        "failure_message": order.failure_message,
        "failure_guidance": order.failure_guidance,
        "support_contact": settings.MARKETPLACE_SUPPORT_CONTACT,
        "correlation_id": "",
        "relationship_url": "",
    }


def _preview_approval(reseller):
    order = _latest(reseller, channel=Order.Channel.SELF_SERVICE) or _latest(reseller)
    return approval_context(order) if order else None


def _preview_cancellation(reseller):
    order = _latest(reseller, follow_ups__kind=Order.Kind.CANCELLATION) or _latest(reseller)
    return cancellation_context(order) if order else None


_APPROVAL = {
    **_ORDER,
    "totals": _("the order's totals in words"),
    "queue_url": _("your approval queue"),
    "approved": _("true when approved, false when declined"),
    "reason": _("why it was declined (may be empty)"),
}


def register_kinds() -> None:
    register(
        EmailKind(
            APPROVAL_REQUESTED,
            _("Order waits for approval (to your staff)"),
            _APPROVAL,
            _preview_approval,
        )
    )
    register(
        EmailKind(
            APPROVAL_DECIDED,
            _("Order approved or declined (to the customer's users)"),
            _APPROVAL,
            _preview_approval,
        )
    )
    register(
        EmailKind(
            SELF_SERVICE_CANCELLED,
            _("Customer cancelled an order (to your staff)"),
            {
                **_ORDER,
                "cancellations": _(
                    "the cancellation orders: each has reference, refund_money (the estimated "
                    "refund written for the reader), refund and currency (the bare figures)"
                ),
            },
            _preview_cancellation,
        )
    )
    register(
        EmailKind(
            COMPLETED,
            _("Order complete (to your staff)"),
            {
                **_ORDER,
                "lines": _("the lines: each has quantity and name"),
                **_SUBSCRIPTIONS,
                "payment": _("how the order is paid"),
                "refund": _(
                    "a refund: label, money (its amount and currency, written for the reader), "
                    "note, our_estimate_money (may be empty); amount, currency and our_estimate "
                    "are the bare figures"
                ),
            },
            _preview_completed,
        )
    )
    register(
        EmailKind(
            COMPLETED_CUSTOMER,
            _("Subscriptions ready (to the customer's admin contact)"),
            {
                **_ORDER,
                **_SUBSCRIPTIONS,
                "admin_center_url": _("the Microsoft 365 admin center"),
                "tenant_admin_login": _("a new tenant's first administrator (may be empty)"),
                "credentials_url": _("where the customer reads the temporary password"),
            },
            _preview_completed,
        )
    )
    register(
        EmailKind(
            FAILED,
            _("Order failed (to your staff)"),
            {
                **_ORDER,
                "failure_message": _("what the marketplace said"),
                "failure_guidance": _("what to do next"),
                "support_contact": _("the distributor's support contact"),
                "correlation_id": _("the id support asks for (may be empty)"),
                "relationship_url": _("the relationship acceptance link (may be empty)"),
            },
            _preview_failed,
        )
    )
