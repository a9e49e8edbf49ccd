"""A member's acceptance of one version of the community guidelines."""

from django.db import models

from community.tenancy.models import CommunityOwned


class GuidelinesAcceptance(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member", "version"], name="guidelines_accepted_once")
        ]
