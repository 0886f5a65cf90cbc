"""API tokens (one reseller each, the secret stored only as a hash) and which order each placed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, reseller__isnull=False)


class ApiToken(models.Model):
    """A credential an integrator's system sends as ``Authorization: Bearer <token>``.

    The token is ``<prefix>.<secret>``; only the prefix (to find the row and to
    show which token is which) and a SHA-256 hash of the whole token are kept.
    """

    reseller = models.ForeignKey(
        "customers.Reseller", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'ERP sync'."))
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Answerable for what the token does; orders it places are placed by them."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["reseller", "-created_at"]
        verbose_name = _("API token")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


class ApiOrder(models.Model):
    """The token that placed an order, and a fingerprint of the request it sent.

    A retry with the same Idempotency-Key but a different body is refused
    (409) rather than silently answered with the first order.
    """

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="api_origin"
    )
    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="orders")
    request_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("order placed through the API")

    def __str__(self):
        return f"{self.order} by {self.token}"
