"""Rollups the metrics read: one row per member, local day and channel, and per-day aggregates built from them.

Maintained by insights.services.rollups, in SQL, for just the days new activities touch; `rebuild_rollups`
recomputes any range from the activities themselves, and both paths end in the same rows.
"""

from django.db import models

from community.tenancy.models import CommunityOwned


class Audience(models.TextChoices):
    """Who a member is for the metrics, as of the roll-up: bots first, then staff, then everyone else."""

    MEMBER = "member", "Community member"
    STAFF = "staff", "Staff"
    BOT = "bot", "Bot"


class MemberDay(CommunityOwned):
    # No FK: an erased member's activities keep counting (member 0 holds activities whose member is gone).
    member_id = models.BigIntegerField()
    day = models.DateField()  # in the community's time zone
    channel = models.CharField(max_length=40)
    audience = models.CharField(max_length=8, choices=Audience.choices)
    activities = models.PositiveIntegerField()
    kinds = models.JSONField(default=dict)  # {kind: count}
    sentiment_sum = models.FloatField(default=0)
    sentiment_count = models.PositiveIntegerField(default=0)
    negative_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "day", "member_id", "channel"], name="memberday_unique"),
        ]
        indexes = [models.Index(fields=["community", "member_id", "day"], name="memberday_member")]


class MemberFirstDay(CommunityOwned):
    """The local day of a member's first activity on any channel: what `new_members` counts."""

    member_id = models.BigIntegerField()
    first_day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "member_id"], name="memberfirstday_unique")]
        indexes = [models.Index(fields=["community", "first_day"], name="memberfirstday_day")]


class DayStat(CommunityOwned):
    """One local day, one channel ("" for all channels together), one audience. Audiences are disjoint, so
    including staff or bots adds their rows, distinct member counts included."""

    day = models.DateField()
    channel = models.CharField(max_length=40, blank=True)
    audience = models.CharField(max_length=8, choices=Audience.choices)
    activities = models.PositiveIntegerField(default=0)
    active_members = models.PositiveIntegerField(default=0)
    new_members = models.PositiveIntegerField(default=0)
    active_members_30d = models.PositiveIntegerField(default=0)  # distinct active in [day-29, day]
    sentiment_sum = models.FloatField(default=0)
    sentiment_count = models.PositiveIntegerField(default=0)
    negative_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "day", "channel", "audience"], name="daystat_unique"),
        ]


class Conversation(CommunityOwned):
    """A post, issue or message without a parent, started by a non-staff member, and its first responses.

    First responses: the earliest later activity of another member (not a bot) in the same source whose
    parent_external_id is the starter's external_id, once among staff and once among everyone else.
    """

    activity_id = models.BigIntegerField()
    member_id = models.BigIntegerField()
    audience = models.CharField(max_length=8, choices=Audience.choices)  # of the starter: member or bot
    source = models.CharField(max_length=80)
    external_id = models.CharField(max_length=255)
    channel = models.CharField(max_length=40)
    day = models.DateField()  # local day the conversation started
    started_at = models.DateTimeField()
    first_staff_response_at = models.DateTimeField(null=True)
    first_community_response_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "activity_id"], name="conversation_unique_activity"),
        ]
        indexes = [
            models.Index(fields=["community", "source", "external_id"], name="conversation_key"),
            models.Index(fields=["community", "day"], name="conversation_day"),
        ]


class HourStat(CommunityOwned):
    """One UTC hour, one channel: what the crisis watch compares a window against (the same hour of the week over
    the previous 28 days). Recomputed from the activities of the hours new activities touch, like the day rows."""

    hour = models.DateTimeField()  # start of the hour, UTC
    channel = models.CharField(max_length=40)
    activities = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)  # activities with a sentiment score
    negative = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "hour", "channel"], name="hourstat_unique"),
        ]
