"""The e-mail that tells a reseller its webhook endpoint was disabled (mail/)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mail.registry import EmailKind, register

from .models import Endpoint

ENDPOINT_DISABLED = "webhook_endpoint_disabled"

VARIABLES = {
    "endpoint_url": _("the receiver's address"),
    "failures": _("how many deliveries failed in a row"),
    "settings_url": _("your webhook settings"),
}


def endpoint_context(endpoint: Endpoint) -> dict:
    return {
        "endpoint_url": endpoint.url,
        "failures": endpoint.consecutive_failures,
        "settings_url": getattr(settings, "SITE_URL", "").rstrip("/")
        + reverse("webhooks:detail", kwargs={"endpoint_pk": endpoint.pk}),
    }


def _preview(reseller):
    endpoint = Endpoint.objects.filter(reseller=reseller).order_by("-pk").first()
    return endpoint_context(endpoint) if endpoint else None


def register_kinds() -> None:
    register(
        EmailKind(
            ENDPOINT_DISABLED, _("Webhook endpoint disabled (to your staff)"), VARIABLES, _preview
        )
    )
