"""Replies: flat and chronological (numbered by position), with reply-to, quote, edit history and soft delete."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from community.tenancy.models import CommunityOwned

from .topic import SEARCH_CONFIG, Topic


class Reply(CommunityOwned):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveIntegerField()
    body = models.TextField()
    body_html = models.TextField()
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    quote_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("body", config=SEARCH_CONFIG), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name_plural = "replies"
        constraints = [models.UniqueConstraint(fields=["community", "topic", "position"], name="reply_position")]
        indexes = [
            models.Index(fields=["community", "author", "-created_at"], name="reply_author"),
            GinIndex(fields=["search_vector"], name="reply_search"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} in {self.topic_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Revision(CommunityOwned):
    """One edit of a topic or a reply: who, when, what it was and the diff."""

    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reply = models.ForeignKey(Reply, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    title_before = models.CharField(max_length=200, blank=True)
    body_before = models.TextField()
    diff = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["community", "topic", "created_at"], name="revision_topic"),
            models.Index(fields=["community", "reply", "created_at"], name="revision_reply"),
        ]
