"""The record of every evidence pack handed out: who took which, when, and its digests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceExport(models.Model):
    """One download of an evidence pack. Written once, never edited."""

    class Format(models.TextChoices):
        JSON = "json", _("JSON")
        PDF = "pdf", _("PDF")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reseller = models.ForeignKey(
        "customers.Reseller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The reseller whose records the pack holds; empty for an admin's export "
            "across resellers."
        ),
    )
    order = models.ForeignKey(
        "orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_from = models.DateField(null=True, blank=True)
    accepted_to = models.DateField(null=True, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    record_count = models.PositiveIntegerField()
    evidence_digest = models.CharField(
        max_length=64, help_text=_("SHA-256 of the pack's records in canonical JSON.")
    )
    file_digest = models.CharField(max_length=64, help_text=_("SHA-256 of the file handed out."))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Evidence {self.get_format_display()} of {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An evidence export record is never changed.")
        super().save(*args, **kwargs)
