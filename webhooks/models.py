"""Webhook endpoints a reseller registers, and every delivery attempt made to them."""

import base64
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField


class Event(models.TextChoices):
    SUBMITTED = "order.submitted", _("Order submitted")
    COMPLETED = "order.completed", _("Order completed")
    DETAILS_RECORDED = "order.details_recorded", _("Order details recorded")
    FAILED = "order.failed", _("Order failed")
    CANCELLED = "order.cancelled", _("Order cancelled")
    SEATS_CHANGED = "order.seats_changed", _("Seats changed")
    # Issue 23: a subscription changed, added or cancelled outside this product.
    SUBSCRIPTION_CHANGED_OUTSIDE = (
        "subscription.changed_outside",
        _("Subscription changed outside this product"),
    )


def secret_generate() -> str:
    """Return a new Standard Webhooks secret (``whsec_`` + base64 of 24 random bytes)."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


class Endpoint(models.Model):
    reseller = models.ForeignKey(
        "customers.Reseller", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list, help_text=_("Event types sent to this endpoint."))
    enabled = models.BooleanField(default=True)
    secret = EncryptedCharField(max_length=100, default=secret_generate)
    # After a rotation the old secret still signs (beside the new one) until it expires, so
    # the receiver can switch without losing a message.
    previous_secret = EncryptedCharField(max_length=100, blank=True, null=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    secret_issued_at = models.DateTimeField(null=True, blank=True)
    secret_issued_by = models.ForeignKey(
        "customers.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disabled_reason = models.CharField(max_length=300, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.url


class Message(models.Model):
    """One event for one endpoint: its id (``webhook-id``) and body never change."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.event_type} {self.message_id}"


class Attempt(models.Model):
    """One HTTP attempt at delivering a message: what was sent and what came back."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    replay = models.BooleanField(default=False)
    url = models.URLField(max_length=500)
    request_headers = models.JSONField(default=dict)
    request_body = models.TextField()
    response_status = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.message.message_id} attempt {self.number}"
