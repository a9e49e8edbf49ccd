"""In-app notifications (the bell) and each member's email preferences."""

from django.db import models

from community.tenancy.models import CommunityOwned

from .reply import Reply
from .topic import Topic


class NotificationKind(models.TextChoices):
    REPLY = "reply", "replied"
    MENTION = "mention", "mentioned you"
    QUOTE = "quote", "quoted you"
    ACCEPTED = "accepted", "accepted your answer"
    REACTION = "reaction", "reacted"
    WATCHED = "watched", "posted in something you watch"
    # An idea you voted for or follow moved on (feedback's one status-change service sends it).
    STATUS = "status", "changed the status of an idea you follow"


class Notification(CommunityOwned):
    recipient = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=10, choices=NotificationKind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "recipient", "-created_at"], name="notification_recipient"),
            models.Index(
                fields=["community", "recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
        ]


class Digest(models.TextChoices):
    NEVER = "never", "Never"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class NotificationPreference(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    email_replies = models.BooleanField(default=True)
    email_mentions = models.BooleanField(default=True)
    auto_watch = models.BooleanField(default=True)
    digest = models.CharField(max_length=8, choices=Digest.choices, default=Digest.NEVER)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "member"], name="notificationpref_unique")]
