"""The wizard's draft, kept per user so it outlives the session (wizard/drafts.py)."""

from django.conf import settings
from django.db import models


class WizardDraft(models.Model):
    """What one user has entered so far in one wizard: steps, current step, order key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wizard_drafts"
    )
    #: The wizard's storage prefix: the reseller's and the self-service wizard keep apart.
    wizard = models.CharField(max_length=100)
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "wizard"], name="wizard_draft_one_per_user")
        ]

    def __str__(self):
        return f"{self.wizard} draft of {self.user}"
