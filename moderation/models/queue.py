"""The review queue: one item per subject under review (topic, reply, channel activity, appeal) and members' flags."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from community.tenancy.models import CommunityOwned


class SubjectKind(models.TextChoices):
    TOPIC = "topic", "Topic"
    REPLY = "reply", "Reply"
    ACTIVITY = "activity", "Channel activity"
    APPEAL = "appeal", "Appeal"
    SIGNUP = "signup", "Request to join"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Removed"
    HIDDEN = "hidden", "Hidden"
    IGNORED = "ignored", "Flags ignored"


class QueueItem(CommunityOwned):
    """Something a person must decide on. At most one open item per subject (the partial unique constraint), so the
    scorer and every flag on a post land on the same item."""

    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    # Where it came from first: "scorer", "flag", "appeal", "watched_word" (later sources only add reasons).
    source = models.CharField(max_length=20)
    reasons = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    spam = models.FloatField(null=True, blank=True)
    toxicity = models.FloatField(null=True, blank=True)
    flag_count = models.PositiveIntegerField(default=0)
    # Score and flags weighted by each reporter's accuracy (services.queue.priority_of); the queue sorts on it.
    priority = models.FloatField(default=0)
    author = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A copy of what is under review when the item opened: the queue shows it without a query per subject kind.
    title = models.CharField(max_length=200, blank=True)
    excerpt = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # True while the content is hidden because of this item (flags from trusted members, or the hide action);
    # approving shows it again.
    content_hidden = models.BooleanField(default=False)
    claimed_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "subject_kind", "subject_id"],
                condition=models.Q(status="open"),
                name="queueitem_one_open_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "-priority", "id"], name="queueitem_priority"),
            models.Index(fields=["community", "subject_kind", "subject_id"], name="queueitem_subject"),
            models.Index(fields=["community", "author", "status"], name="queueitem_author"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_kind} {self.subject_id} ({self.status})"


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abusive or harassing"
    OFF_TOPIC = "off_topic", "Off-topic"
    GUIDELINES = "guidelines", "Breaks the community guidelines"
    OTHER = "other", "Something else"


class FlagOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    AGREED = "agreed", "Agreed"
    DISAGREED = "disagreed", "Disagreed"
    IGNORED = "ignored", "Ignored"


class Flag(CommunityOwned):
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField()
    reporter = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=12, choices=FlagReason.choices)
    note = models.TextField(blank=True, max_length=1000)
    item = models.ForeignKey(QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags")
    # Weight it added to the item's priority (the reporter's accuracy when flagging); trusted: counts to hide.
    weight = models.FloatField(default=1)
    trusted = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=FlagOutcome.choices, default=FlagOutcome.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "subject_kind", "subject_id", "reporter"], name="flag_one_per_member"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "reporter", "outcome"], name="flag_reporter"),
            models.Index(fields=["community", "item"], name="flag_item"),
            models.Index(fields=["community", "reason", "created_at"], name="flag_reason"),
        ]
