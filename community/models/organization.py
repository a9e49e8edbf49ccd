"""Organizations (companies) that members belong to, matched from email domains and profile data."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from community.tenancy.models import CommunityOwned


class Organization(CommunityOwned):
    name = models.CharField(max_length=200)
    # Lower-case email domains ("acme.com"); a new member whose email ends in one of them joins the organization.
    domains = ArrayField(models.CharField(max_length=253), default=list, blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="organization_unique_name")]
        indexes = [models.Index(fields=["community", "name"], name="organization_name")]

    def __str__(self) -> str:
        return self.name
