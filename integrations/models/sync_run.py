"""The history of a connection's syncs: when, how many items seen, created, duplicate, failed."""

from django.db import models

from community.tenancy.models import CommunityOwned


class SyncRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    RATE_LIMITED = "rate_limited", "Rate limited (will retry)"


class SyncRun(CommunityOwned):
    connection = models.ForeignKey("integrations.ChannelConnection", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(max_length=10, default="poll")  # poll | resync | check
    status = models.CharField(max_length=14, choices=SyncRunStatus.choices, default=SyncRunStatus.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    items_seen = models.PositiveIntegerField(default=0)
    items_created = models.PositiveIntegerField(default=0)
    items_duplicate = models.PositiveIntegerField(default=0)
    items_error = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["community", "connection", "started_at"], name="syncrun_conn_started")]

    def __str__(self) -> str:
        return f"sync #{self.pk} {self.status}"
