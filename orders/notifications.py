"""Order e-mail: the reseller hears of completion and failure, the admin contact of completion."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from customers.models import Contact, Credential
from customers.relationship_links import partner_invitation_url

from .guidance import guidance_for
from .models import Order
from .refunds import refund_of

logger = logging.getLogger(__name__)

#: Where Microsoft shows a tenant's licences (Billing → Your products).
ADMIN_CENTER_URL = "https://admin.microsoft.com"


def notify_completion(order_id: int) -> None:
    order = _order(order_id)
    context = _context(order)
    _send(
        f"Order {order.reference} is complete",
        "orders/email/completed_reseller.txt",
        context,
        reseller_addresses(order),
    )
    admin = order.customer.contacts.filter(kind=Contact.Kind.ADMIN).first()
    if admin is not None and order.kind == Order.Kind.SALES:
        _send(
            f"Your Microsoft 365 subscriptions are ready ({order.reference})",
            "orders/email/completed_customer.txt",
            {**context, **_retrieval(order)},
            [admin.email],
        )


def notify_failure(order_id: int) -> None:
    order = _order(order_id)
    # What the support desk asks for, as the order page gives it: the last answer's id.
    last = order.exchanges.exclude(correlation_id="").order_by("-started_at").first()
    _send(
        f"Order {order.reference} failed: action needed",
        "orders/email/failed_reseller.txt",
        {
            **_context(order),
            "correlation_id": last.correlation_id if last else "",
            "support_contact": settings.MARKETPLACE_SUPPORT_CONTACT,
            # The relationship tracker resubmits by itself: the reseller only forwards the link.
            "relationship_url": (
                partner_invitation_url()
                if guidance_for(order.failure_message).key == "relationship"
                else ""
            ),
        },
        reseller_addresses(order),
    )


def _order(order_id):
    return Order.objects.select_related("customer", "reseller", "placed_by").get(pk=order_id)


def _context(order):
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return {
        "order": order,
        "lines": list(order.lines.all()),
        "subscriptions": list(order.subscriptions.select_related("product")),
        "refund": refund_of(order),
        "url": base + reverse("orders:detail", kwargs={"reference": order.reference}),
    }


def _retrieval(order) -> dict:
    """Where the customer finds its licences, and its new tenant's admin (never the password)."""
    tenant_admin = Credential.objects.filter(
        customer=order.customer,
        kind=Credential.Kind.TENANT_ADMIN,
        order_reference=order.reference,
    ).first()
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    path = reverse("customers:credentials", kwargs={"pk": order.customer_id})
    return {
        "admin_center_url": ADMIN_CENTER_URL,
        "tenant_admin_login": tenant_admin.login if tenant_admin else "",
        "credentials_url": base + path,
    }


def reseller_addresses(order) -> list[str]:
    """Who at the reseller hears about ``order``: whoever placed it, else all its staff."""
    if order.placed_by and order.placed_by.email:
        return [order.placed_by.email]
    return order.reseller.staff_emails()


def _send(subject, template, context, recipients):
    if not recipients:
        logger.info("Order %s: no recipient for %r", context["order"].reference, subject)
        return
    try:
        send_mail(subject, render_to_string(template, context), None, recipients)
    except Exception:
        # Mail is a courtesy: the order page always shows the same news.
        logger.exception("Order %s: could not send %r", context["order"].reference, subject)
