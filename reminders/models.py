"""Which cancellation-window reminders went out, so that none goes out twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """When a reminder went out and to whom; claimed in the transaction that sends it."""

    sent_at = models.DateTimeField()
    recipients = models.TextField(help_text=_("The addresses the reminder went to, one a line."))

    class Meta:
        abstract = True
        ordering = ["-sent_at"]


class CancellationReminder(SentReminder):
    """One reminder that a seat batch's 7-day window closes in ``hours_before`` hours."""

    batch = models.ForeignKey(
        "orders.SeatBatch", on_delete=models.PROTECT, related_name="cancellation_reminders"
    )
    hours_before = models.PositiveSmallIntegerField()

    class Meta(SentReminder.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "hours_before"], name="one_reminder_per_batch_and_threshold"
            )
        ]

    def __str__(self):
        return f"{self.hours_before} h reminder for {self.batch}"


class RenewalReminder(SentReminder):
    """One reminder, ``days_before`` a subscription's renewal, of what the renewal will do."""

    subscription = models.ForeignKey(
        "orders.Subscription", on_delete=models.PROTECT, related_name="renewal_reminders"
    )
    renewal_date = models.DateField(help_text=_("The renewal the reminder was about."))
    days_before = models.PositiveSmallIntegerField()

    class Meta(SentReminder.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "renewal_date", "days_before"],
                name="one_renewal_reminder_per_renewal_and_threshold",
            )
        ]

    def __str__(self):
        return (
            f"{self.days_before}-day reminder of {self.subscription} renewing {self.renewal_date}"
        )
