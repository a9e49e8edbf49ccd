"""The crisis watch: rules per community, the alerts they raise, each alert's history and the activities behind it."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from community.tenancy.models import CommunityOwned


class RuleKind(models.TextChoices):
    SENTIMENT = "sentiment", "Negative sentiment"
    VOLUME = "volume", "Volume"
    KEYWORD = "keyword", "Keywords"
    # Ready for moderation pressure (many flags on one post or member); not evaluated yet.
    FLAGS = "flags", "Moderation flags"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class CrisisSettings(CommunityOwned):
    """One per community: where alerts are posted, and whether the default rules were created (once: a manager
    who deletes them does not get them back)."""

    webhook_url = models.URLField(max_length=500, blank=True)  # a Slack or Discord incoming webhook
    defaults_created = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community"], name="crisissettings_unique")]


class AlertRule(CommunityOwned):
    kind = models.CharField(max_length=16, choices=RuleKind.choices)
    # Null: every channel on its own and the whole community together (sentiment, volume) or all channels
    # (keyword); a channel name: that channel only.
    channel = models.CharField(max_length=40, null=True, blank=True)
    window_minutes = models.PositiveIntegerField(default=60)
    # min_count, z, min_ratio (sentiment, volume), share_delta (sentiment), threshold (keyword).
    thresholds = models.JSONField(default=dict, blank=True)
    keywords = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["community", "enabled"], name="alertrule_enabled")]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_minutes__gte=5, window_minutes__lte=10080), name="alertrule_window_range"
            ),
        ]


class Alert(CommunityOwned):
    rule = models.ForeignKey(AlertRule, null=True, on_delete=models.SET_NULL, related_name="alerts")
    kind = models.CharField(max_length=16, choices=RuleKind.choices)
    channel = models.CharField(max_length=40, blank=True)  # "" for the whole community
    # What a continuing turn is matched on: "<kind>:<channel>" (the hour and the 24-hour sentiment rules feed one
    # alert), "keyword:<rule id>:<channel>" for a watch list.
    scope_key = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    observed = models.FloatField()
    expected = models.FloatField()
    spread = models.FloatField(default=0)
    summary = models.CharField(max_length=300)
    activity_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)  # most negative, most engaged first
    assignee_member_id = models.BigIntegerField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # Claimed by the notification task with a conditional UPDATE, so a retried task mails and posts once.
    emailed_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "raised_at"], name="alert_raised"),
            models.Index(fields=["community", "status", "raised_at"], name="alert_status"),
        ]
        constraints = [
            # A continuing spike updates its alert: one unresolved alert per scope.
            models.UniqueConstraint(
                fields=["community", "scope_key"],
                condition=~Q(status="resolved"),
                name="alert_one_unresolved",
            ),
        ]


class AlertEventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    UPDATED = "updated", "Updated"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ASSIGNED = "assigned", "Assigned"
    COMMENTED = "commented", "Commented"
    RESOLVED = "resolved", "Resolved"
    REOPENED = "reopened", "Reopened"


class AlertEvent(CommunityOwned):
    """Who did what to an alert and when (the watch itself raises and updates: no member)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=AlertEventKind.choices)
    member_id = models.BigIntegerField(null=True, blank=True)  # no FK: an erased member's history stays
    assignee_member_id = models.BigIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["community", "alert", "created_at"], name="alertevent_alert")]


class AlertSubscription(CommunityOwned):
    """A staff member who gets an email for every new alert."""

    member_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "member_id"], name="alertsubscription_unique")]
