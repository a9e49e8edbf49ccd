"""Reactions (one of each emoji per member per post) and bookmarks."""

from django.db import models

from community.tenancy.models import CommunityOwned

from .reply import Reply
from .topic import Topic

DEFAULT_REACTIONS = ["👍", "❤️", "🎉", "😄", "🤔", "👀"]


class Reaction(CommunityOwned):
    """On the topic's first post (reply is null) or on a reply."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reactions")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "reply", "member", "emoji"],
                condition=models.Q(reply__isnull=False),
                name="reaction_one_per_reply",
            ),
            models.UniqueConstraint(
                fields=["community", "topic", "member", "emoji"],
                condition=models.Q(reply__isnull=True),
                name="reaction_one_per_topic",
            ),
        ]
        indexes = [models.Index(fields=["community", "topic"], name="reaction_topic")]


class Bookmark(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "member", "topic"], name="bookmark_unique")]
