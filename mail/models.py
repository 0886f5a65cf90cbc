"""A reseller's own wording of an e-mail, and the log of every e-mail sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.models import Reseller

LANGUAGES = [(code, name) for code, name in settings.LANGUAGES]


class EmailOverride(models.Model):
    """The reseller's subject and body for one e-mail in one language (sandboxed)."""

    reseller = models.ForeignKey(Reseller, on_delete=models.CASCADE, related_name="email_overrides")
    template = models.CharField(_("e-mail"), max_length=60)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the override could not be rendered and the default went out instead.
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reseller", "template", "language"], name="mail_one_override_per_language"
            )
        ]

    def __str__(self):
        return f"{self.template} ({self.language})"


class EmailLog(models.Model):
    """One e-mail sent (or tried): to whom, which template, language, result."""

    class Result(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    reseller = models.ForeignKey(
        Reseller, null=True, blank=True, on_delete=models.SET_NULL, related_name="email_log"
    )
    template = models.CharField(_("e-mail"), max_length=60)
    language = models.CharField(_("language"), max_length=10)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=300)
    overridden = models.BooleanField(_("reseller's wording"), default=False)
    fallback_reason = models.TextField(_("default used because"), blank=True, default="")
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    error = models.TextField(_("error"), blank=True, default="")
    sent_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.template} to {self.recipients} ({self.result})"
