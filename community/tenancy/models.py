"""The abstract base of every tenant-owned model and the queryset that requires a community."""

from django.db import models


class CommunityQuerySet(models.QuerySet):
    def for_community(self, community) -> "CommunityQuerySet":
        community_id = getattr(community, "pk", community)
        if not community_id:
            raise ValueError("a tenant query needs its community")
        return self.filter(community_id=community_id)


class CommunityOwned(models.Model):
    """A row that belongs to one community. Postgres RLS (see tenancy.rls) enforces it a second time."""

    community = models.ForeignKey("community.Community", on_delete=models.CASCADE, related_name="+")

    objects = CommunityQuerySet.as_manager()

    class Meta:
        abstract = True
