"""The reseller relationship: orders waiting for a tenant to accept it, and checks asked for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RelationshipWatch(models.Model):
    """The tracker's record for one order: when it looks next, how often it looked, how it ended."""

    class State(models.TextChoices):
        WATCHING = "watching", _("Waiting for the customer to accept")
        ACCEPTED = "accepted", _("Accepted; order resubmitted")
        GAVE_UP = "gave_up", _("Stopped waiting")
        RESUBMITTED = "resubmitted", _("Resubmitted by hand; no longer watched")

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="relationship_watch"
    )
    tenant = models.CharField(max_length=255, help_text=_("The tenant's domain or tenant id."))
    state = models.CharField(max_length=12, choices=State.choices, default=State.WATCHING)
    started_at = models.DateTimeField()
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    checks = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = _("relationship watches")
        indexes = [models.Index(fields=["state", "next_check_at"])]

    def __str__(self):
        return f"Relationship watch for {self.order}"

    @property
    def waited(self):
        return (self.ended_at or self.last_checked_at or self.started_at) - self.started_at


class PartnerRolesCheck(models.Model):
    """One "Approved Partner Roles" check on a customer's tenant: who asked, when, the answer."""

    class Outcome(models.TextChoices):
        NOTHING_PENDING = "nothing_pending", _("Nothing pending")
        PENDING = "pending", _("Approval needed")
        TENANT_NOT_FOUND = "tenant_not_found", _("Tenant not found")
        UNREACHABLE = "unreachable", _("Marketplace unreachable")

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="partner_roles_checks"
    )
    subscription = models.ForeignKey(
        "orders.Subscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_roles_checks",
    )
    tenant = models.CharField(max_length=255)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    message = models.TextField(blank=True, help_text=_("What the marketplace said, word for word."))
    correlation_id = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"Partner roles of {self.tenant}: {self.get_outcome_display()}"
