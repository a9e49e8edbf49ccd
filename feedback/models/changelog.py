"""The changelog: what shipped, written by staff, optionally naming the idea it answers."""

from django.db import models

from community.tenancy.models import CommunityOwned

from .idea import Idea


class ChangelogEntry(CommunityOwned):
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    idea = models.ForeignKey(Idea, null=True, blank=True, on_delete=models.SET_NULL, related_name="changelog")
    author = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "changelog entries"
        indexes = [models.Index(fields=["community", "-published_at"], name="changelog_published")]
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title
