"""Who gets the weekly insights email: staff members who opted in, and the last week each was sent."""

from django.db import models

from community.tenancy.models import CommunityOwned


class WeeklySummarySubscription(CommunityOwned):
    member_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    # First day of the last week emailed: the send claims a week with a conditional UPDATE, so a re-delivered task
    # never mails the same week twice.
    last_sent_week = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member_id"], name="weeklysummary_unique_member"),
        ]
