"""Drafts of a new topic or a reply, saved as one types, so a reload loses nothing; and image uploads."""

from django.db import models

from community.tenancy.models import CommunityOwned


class Draft(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=60)  # "topic:space:<id>" or "reply:topic:<id>"
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "member", "key"], name="draft_unique")]


def upload_path(instance, filename: str) -> str:
    return f"discussions/{instance.community_id}/{instance.token}{instance.extension}"


class Upload(CommunityOwned):
    member = models.ForeignKey("community.Member", null=True, on_delete=models.SET_NULL, related_name="+")
    token = models.CharField(max_length=32)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=upload_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["community", "member", "created_at"], name="upload_member")]
