"""The bill, checked: one check per report asked for, and what it found that did not match."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from customers.scoping import ScopedQuerySet

from .charges import CHARGE_WORDS


class BillCheckQuerySet(ScopedQuerySet):
    customer_lookup = None  # the bill is the reseller's: end customers never see it


class MismatchQuerySet(ScopedQuerySet):
    reseller_lookup = "bill_check__reseller_id"
    customer_lookup = None


class BillCheck(models.Model):
    """One rated-data report of a period, asked for, awaited, read and reconciled."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Report requested")
        GENERATING = "generating", _("Report being generated")
        RECONCILED = "reconciled", _("Reconciled")
        FAILED = "failed", _("Failed")

    reseller = models.ForeignKey(
        "customers.Reseller", on_delete=models.PROTECT, related_name="bill_checks"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the monthly schedule asked."),
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    report_id = models.CharField(max_length=64, blank=True, db_index=True)
    report_status = models.CharField(max_length=20, blank=True)
    polls = models.PositiveIntegerField(default=0)
    next_poll_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    lines_read = models.PositiveIntegerField(default=0)
    lines_matched = models.PositiveIntegerField(default=0)
    billed_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    expected_total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, blank=True)
    failure_message = models.TextField(blank=True)

    objects = BillCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Bill check {self.period_start}..{self.period_end} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.REQUESTED, self.Status.GENERATING}


class Mismatch(models.Model):
    """A report line and what the product knows that do not agree, with both sides' evidence."""

    class Kind(models.TextChoices):
        NOT_ORDERED = "not_ordered", _("Billed but never ordered here")
        NOT_BILLED = "not_billed", _("Ordered but not billed")
        QUANTITY = "quantity", _("Quantity different")
        PRICE = "price", _("Price different")
        PRORATION = "proration", _("Proration different")
        REFUND_MISSING = "refund_missing", _("Refund missing")
        REFUND_WRONG = "refund_wrong", _("Refund wrong")

    bill_check = models.ForeignKey(BillCheck, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    subscription_upstream_id = models.CharField(max_length=32)
    subscription = models.ForeignKey(
        "orders.Subscription", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    charge_type = models.CharField(max_length=24)
    charge_date = models.DateField()
    order_number = models.CharField(max_length=32, blank=True)
    billed = models.JSONField(null=True, blank=True, help_text=_("The report's line."))
    expected = models.JSONField(null=True, blank=True, help_text=_("What the product knows."))
    billed_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    expected_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    explanation = models.TextField(blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField(null=True, blank=True)

    objects = MismatchQuerySet.as_manager()

    class Meta:
        ordering = ["bill_check", "charge_date", "subscription_upstream_id", "pk"]
        verbose_name_plural = _("mismatches")

    def __str__(self):
        return f"{self.get_kind_display()}: subscription {self.subscription_upstream_id}"

    @property
    def charge_words(self) -> str:
        return str(CHARGE_WORDS.get(self.charge_type, self.charge_type))

    @property
    def difference(self):
        if self.billed_amount is None or self.expected_amount is None:
            return self.billed_amount if self.expected_amount is None else -self.expected_amount
        return self.billed_amount - self.expected_amount
