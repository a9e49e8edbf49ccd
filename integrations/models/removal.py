"""A moderator's removal of an ingested activity on its platform: requested once, carried out by the worker."""

from django.db import models

from community.tenancy.models import CommunityOwned


class RemovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the worker"
    SENDING = "sending", "Calling the platform"
    DONE = "done", "Removed on the platform"
    FAILED = "failed", "The platform refused"
    UNSUPPORTED = "unsupported", "Not possible on this platform"


class ChannelRemoval(CommunityOwned):
    """One row per activity: asking twice (two moderators, a retried decision) never calls the platform twice.

    The worker claims a pending row (or a `sending` one whose claim went stale after a crash) by a conditional
    UPDATE before it calls out, and marks it done after; no transaction is held open during the HTTP call.
    """

    activity = models.ForeignKey("community.Activity", on_delete=models.CASCADE, related_name="+")
    connection = models.ForeignKey(
        "integrations.ChannelConnection", null=True, on_delete=models.SET_NULL, related_name="removals"
    )
    status = models.CharField(max_length=12, choices=RemovalStatus.choices, default=RemovalStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True, default="")
    requested_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "activity"], name="removal_one_per_activity")]
        indexes = [models.Index(fields=["community", "status", "requested_at"], name="removal_status")]

    def __str__(self) -> str:
        return f"removal of activity {self.activity_id}: {self.status}"
