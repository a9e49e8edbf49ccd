"""A person's membership of one community: role, status and profile basics (with or without a login)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower

from community.tenancy.models import CommunityOwned


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Community manager"
    MODERATOR = "moderator", "Moderator"
    MEMBER = "member", "Member"


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Asked to join"
    SUSPENDED = "suspended", "Suspended"
    BANNED = "banned", "Banned"
    LEFT = "left", "Left"
    ERASED = "erased", "Erased"
    MERGED = "merged", "Merged into another member"


class Member(CommunityOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=12, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    display_name = models.CharField(max_length=150)
    handle = models.CharField(max_length=80, blank=True)
    email = models.EmailField(blank=True)
    avatar_url = models.URLField(blank=True)
    bio = models.TextField(blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    last_active_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=120, blank=True)
    # Further addresses (lower-case) beside `email`; all of them match on ingest as verified emails.
    emails = ArrayField(models.EmailField(), default=list, blank=True)
    organization = models.ForeignKey(
        "community.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    tags = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    custom_fields = models.JSONField(default=dict, blank=True)  # {CustomField.key: value}
    first_seen_at = models.DateTimeField(null=True, blank=True)
    # Kept by the activity services in the same statement that stores activities: the directory sorts on it.
    activity_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    # Lower-cased copies for identity resolution's "same handle / same name" lookups. Stored columns because
    # under RLS an index serves only leakproof conditions: `handle_key IN (…)` is one, `lower(handle) IN (…)`
    # is not (lower() is not leakproof), so an expression index would never be used for the app role.
    handle_key = models.GeneratedField(
        expression=Lower("handle"), output_field=models.CharField(max_length=80), db_persist=True
    )
    name_key = models.GeneratedField(
        expression=Lower("display_name"), output_field=models.CharField(max_length=150), db_persist=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], condition=models.Q(user__isnull=False), name="member_one_per_user"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "role"], name="member_status_role"),
            models.Index(fields=["community", "joined_at"], name="member_joined"),
            # The API's member list pages by -id within a community; without it Postgres walks the whole
            # table's primary key backwards, past every other community's newer members.
            models.Index(fields=["community", "id"], name="member_community_id"),
            # In the directory's default order (most recently active first, never-active last), so a page of
            # it is an index walk with LIMIT instead of a sort of every member; it serves the "active since"
            # range too. Plain columns, so it stays usable for the app role under RLS.
            models.Index(
                F("community"),
                F("last_active_at").desc(nulls_last=True),
                F("id").desc(),
                name="member_last_active",
            ),
            models.Index(fields=["community", "activity_count"], name="member_activity_count"),
            models.Index(fields=["community", "organization"], name="member_organization"),
            models.Index(fields=["community", "email"], name="member_email"),
            models.Index(fields=["community", "handle_key"], name="member_handle_key"),
            models.Index(fields=["community", "name_key"], name="member_name_key"),
            # fastupdate off: ingest rewrites member rows all the time (counters), and with the default pending
            # list every search scanned it linearly and the planner, pricing that in, scanned every member of
            # the community instead (the verified-email lookup of ingest: 25 ms per batch at 20k members).
            GinIndex(fields=["tags"], name="member_tags", fastupdate=False),
            GinIndex(fields=["emails"], name="member_emails", fastupdate=False),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE
