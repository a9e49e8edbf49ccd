"""Identity merges: the suggestions queue and the reversible record of each manual merge."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from community.tenancy.models import CommunityOwned


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MERGED = "merged", "Merged"
    DISMISSED = "dismissed", "Dismissed"


class MergeSuggestion(CommunityOwned):
    """Two members that may be one person (same handle or name on different channels); never auto-merged."""

    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=40)  # "same_handle" | "same_name"
    status = models.CharField(max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member", "other"], name="mergesuggestion_unique_pair"),
            models.CheckConstraint(condition=~models.Q(member=models.F("other")), name="mergesuggestion_two_members"),
        ]
        indexes = [models.Index(fields=["community", "status", "created_at"], name="mergesuggestion_status")]


class MemberMerge(CommunityOwned):
    """`source` was merged into `target`: what moved is recorded by id so an unmerge moves exactly that back."""

    target = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    identity_ids = ArrayField(models.BigIntegerField(), default=list)
    activity_ids = ArrayField(models.BigIntegerField(), default=list)
    source_state = models.JSONField(default=dict)  # the source's status, user, tags… before the merge
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "target", "created_at"], name="membermerge_target"),
            models.Index(fields=["community", "source"], name="membermerge_source"),
        ]
