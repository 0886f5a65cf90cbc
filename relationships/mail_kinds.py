"""The relationship tracker's e-mail as one a reseller may reword (mail/)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mail.registry import EmailKind, register

from .models import RelationshipWatch

State = RelationshipWatch.State

WATCH_ENDED = "relationship_watch_ended"

VARIABLES = {
    "reference": _("the order's reference"),
    "customer_name": _("the customer's company name"),
    "tenant": _("the tenant that was to accept the relationship"),
    "accepted": _("true when the customer accepted, false when we stopped waiting"),
    "days_waited": _("how many days we waited"),
    "url": _("the order's page"),
}


def watch_context(watch: RelationshipWatch) -> dict:
    order = watch.order
    return {
        "reference": order.reference,
        "customer_name": order.customer.company_name,
        "tenant": watch.tenant,
        "accepted": watch.state == State.ACCEPTED,
        "days_waited": watch.waited.days,
        "url": getattr(settings, "SITE_URL", "").rstrip("/")
        + reverse("orders:detail", kwargs={"reference": order.reference}),
    }


def _preview(reseller):
    watch = (
        RelationshipWatch.objects.filter(order__reseller=reseller)
        .select_related("order__customer")
        .order_by("-pk")
        .first()
    )
    return watch_context(watch) if watch else None


def register_kinds() -> None:
    register(
        EmailKind(WATCH_ENDED, _("Relationship wait ended (to your staff)"), VARIABLES, _preview)
    )
