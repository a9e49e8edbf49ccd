"""The raw inbox: every webhook delivery and fetched page, stored before it is processed."""

from django.db import models

from community.tenancy.models import CommunityOwned


class InboxStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped"


class InboxSource(models.TextChoices):
    WEBHOOK = "webhook", "Webhook"
    POLL = "poll", "Poll"


class InboxEvent(CommunityOwned):
    connection = models.ForeignKey("integrations.ChannelConnection", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=InboxSource.choices, default=InboxSource.WEBHOOK)
    event_type = models.CharField(max_length=80, blank=True)
    delivery_id = models.CharField(max_length=120, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    headers = models.JSONField(default=dict, blank=True)  # only the headers that matter (no auth, no cookies)
    body = models.BinaryField()
    status = models.CharField(max_length=10, choices=InboxStatus.choices, default=InboxStatus.RECEIVED)
    error = models.TextField(blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    items_created = models.PositiveIntegerField(default=0)
    items_existing = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["community", "connection", "status", "received_at"], name="inbox_conn_status"),
            models.Index(fields=["community", "status", "received_at"], name="inbox_status"),
        ]
        constraints = [
            # A platform's delivery id names one delivery: a replay (or a platform's own retry) is not stored again.
            models.UniqueConstraint(
                fields=["community", "connection", "delivery_id"],
                condition=models.Q(source="webhook") & ~models.Q(delivery_id=""),
                name="inbox_one_delivery",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type or 'event'} #{self.pk} ({self.status})"

    @property
    def body_text(self) -> str:
        return bytes(self.body).decode("utf-8", errors="replace")
