"""Import runs: adopting a reseller's marketplace estate, page by page, and keeping it in sync."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from customers.scoping import ScopedQuerySet


class ImportRunQuerySet(ScopedQuerySet):
    reseller_lookup = "reseller_id"
    customer_lookup = ""


class ImportRun(models.Model):
    """One pass over a reseller's marketplace customers and subscriptions, with its cursor.

    The cursor (``phase`` and ``offset``) moves only when a page has been recorded, in the
    same transaction, so a page that fails is read again from where it stopped and the rows
    already recorded are found, not doubled.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import")
        SYNC = "sync", _("Scheduled sync")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        WAITING = "waiting", _("Waiting to retry a page")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped")

    class Phase(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        SUBSCRIPTIONS = "subscriptions", _("Subscriptions")
        FINISHED = "finished", _("Finished")

    reseller = models.ForeignKey(
        "customers.Reseller", on_delete=models.PROTECT, related_name="import_runs"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.IMPORT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.RUNNING)
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.CUSTOMERS)
    offset = models.PositiveIntegerField(default=0, help_text=_("Rows of this phase recorded."))
    customers_total = models.PositiveIntegerField(null=True, blank=True)
    subscriptions_total = models.PositiveIntegerField(null=True, blank=True)
    customers_seen = models.PositiveIntegerField(default=0)
    customers_created = models.PositiveIntegerField(default=0)
    subscriptions_seen = models.PositiveIntegerField(default=0)
    subscriptions_adopted = models.PositiveIntegerField(default=0)
    subscriptions_changed = models.PositiveIntegerField(default=0)
    subscriptions_skipped = models.PositiveIntegerField(
        default=0, help_text=_("Rows whose product is not in the catalogue here.")
    )
    subscriptions_deferred = models.PositiveIntegerField(
        default=0,
        help_text=_(
            "Rows left for a later sync: their customer has a purchase of ours still being "
            "recorded, which may be the one that created them."
        ),
    )
    requests = models.PositiveIntegerField(default=0, help_text=_("Upstream requests made."))
    pages_failed = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reseller"],
                condition=Q(status__in=["running", "waiting"]),
                name="one_open_import_per_reseller",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk} for reseller {self.reseller_id}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.RUNNING, self.Status.WAITING)

    @property
    def percent(self) -> int:
        """How far the subscriptions phase is, 0 to 100 (customers count as the first 10)."""
        if self.phase == self.Phase.FINISHED:
            return 100
        if self.phase == self.Phase.CUSTOMERS or not self.subscriptions_total:
            return 5 if self.customers_seen else 0
        return 10 + int(90 * min(self.offset, self.subscriptions_total) / self.subscriptions_total)
