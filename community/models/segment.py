"""Saved segments: named filter sets over the member directory, reused by other areas."""

from django.conf import settings
from django.db import models

from community.tenancy.models import CommunityOwned


class Segment(CommunityOwned):
    name = models.CharField(max_length=120)
    # The directory's query parameters: {"q", "tag", "organization", "channel", "status", "active_since", ...}.
    filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="segment_unique_name")]

    def __str__(self) -> str:
        return self.name
