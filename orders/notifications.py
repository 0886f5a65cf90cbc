"""Order e-mail: the reseller hears of completion and failure, the admin contact of completion.

Each goes through ``mail.services.email_send``: in each recipient's language, in the
reseller's own wording where it has one, and logged. The contexts are plain values
(``orders/mail_kinds.py``), so a reseller's template reads nothing else.
"""

from django.conf import settings
from django.urls import reverse

from customers.models import Contact, Credential
from customers.relationship_links import partner_invitation_url
from mail.services import Recipient, email_send, user_recipient

from . import mail_kinds
from .guidance import guidance_for
from .models import Order

#: Where Microsoft shows a tenant's licences (Billing → Your products).
ADMIN_CENTER_URL = "https://admin.microsoft.com"


def notify_completion(order_id: int) -> None:
    order = _order(order_id)
    email_send(
        key=mail_kinds.COMPLETED,
        reseller=order.reseller,
        recipients=reseller_recipients(order),
        context=lambda: mail_kinds.order_context(order),
    )
    admin = order.customer.contacts.filter(kind=Contact.Kind.ADMIN).first()
    if admin is not None and order.kind == Order.Kind.SALES:
        email_send(
            key=mail_kinds.COMPLETED_CUSTOMER,
            reseller=order.reseller,
            recipients=[Recipient(admin.email, order.customer.language)],
            context=lambda: {**mail_kinds.order_context(order), **_retrieval(order)},
        )


def notify_failure(order_id: int) -> None:
    order = _order(order_id)
    # What the support desk asks for, as the order page gives it: the last answer's id.
    last = order.exchanges.exclude(correlation_id="").order_by("-started_at").first()
    email_send(
        key=mail_kinds.FAILED,
        reseller=order.reseller,
        recipients=reseller_recipients(order),
        context=lambda: {
            **mail_kinds.order_context(order),
            "failure_message": order.failure_message,
            "failure_guidance": order.failure_guidance,
            "correlation_id": last.correlation_id if last else "",
            "support_contact": settings.MARKETPLACE_SUPPORT_CONTACT,
            # The relationship tracker resubmits by itself: the reseller only forwards the link.
            "relationship_url": (
                partner_invitation_url()
                if guidance_for(order.failure_message).key == "relationship"
                else ""
            ),
        },
    )


def _order(order_id):
    return Order.objects.select_related("customer", "reseller", "placed_by").get(pk=order_id)


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


def reseller_recipients(order) -> list[Recipient]:
    """Whoever placed ``order``, else all the reseller's active staff, each in their language."""
    if order.placed_by and order.placed_by.email:
        return [user_recipient(order.placed_by)]
    staff = order.reseller.staff.filter(is_active=True).exclude(email="")
    return [user_recipient(user) for user in staff]
