"""Watching a topic or a space at a tracking level."""

from django.db import models

from community.tenancy.models import CommunityOwned

from .space import Space
from .topic import Topic


class Level(models.TextChoices):
    WATCHING = "watching", "Watching: every reply"
    NORMAL = "normal", "Normal: mentions and replies to me"
    MUTED = "muted", "Muted"


class Subscription(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(Space, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.WATCHING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "topic", "member"], condition=models.Q(topic__isnull=False), name="sub_topic"
            ),
            models.UniqueConstraint(
                fields=["community", "space", "member"], condition=models.Q(space__isnull=False), name="sub_space"
            ),
            models.CheckConstraint(
                condition=models.Q(topic__isnull=True) ^ models.Q(space__isnull=True), name="sub_topic_xor_space"
            ),
        ]
        indexes = [models.Index(fields=["community", "member"], name="sub_member")]
