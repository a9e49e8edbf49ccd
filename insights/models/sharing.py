"""Public read-only links to a community's insights dashboard: signed, expiring, revocable."""

from django.db import models

from community.tenancy.models import CommunityOwned


class DashboardShare(CommunityOwned):
    """One shared view: the dashboard's filters frozen at creation, served to anyone holding the signed link until
    it expires or is revoked. The link carries only this row's id, signed with the community in the salt; the row
    decides whether it still opens."""

    label = models.CharField(max_length=120, blank=True)
    filters = models.JSONField(default=dict)  # the dashboard's GET parameters (days, start, end, channel, include_*)
    created_by_member_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["community", "created_at"], name="dashboardshare_created")]
