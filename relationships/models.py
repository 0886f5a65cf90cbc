"""An order refused because its tenant has not accepted the reseller relationship, being watched."""

from django.db import models


class RelationshipWatch(models.Model):
    """The tracker's record for one order: when it looks next, how often it looked, how it ended."""

    class State(models.TextChoices):
        WATCHING = "watching", "Waiting for the customer to accept"
        ACCEPTED = "accepted", "Accepted; order resubmitted"
        GAVE_UP = "gave_up", "Stopped waiting"
        RESUBMITTED = "resubmitted", "Resubmitted by hand; no longer watched"

    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="relationship_watch"
    )
    tenant = models.CharField(max_length=255, help_text="The tenant's domain or tenant id.")
    state = models.CharField(max_length=12, choices=State.choices, default=State.WATCHING)
    started_at = models.DateTimeField()
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    checks = models.PositiveIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_check_at"])]

    def __str__(self):
        return f"Relationship watch for {self.order}"

    @property
    def waited(self):
        return (self.ended_at or self.last_checked_at or self.started_at) - self.started_at
