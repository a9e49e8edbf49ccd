"""The append-only moderation log: who (or which scorer) did what to which subject, when, why, before and after."""

from django.db import models

from community.tenancy.models import CommunityOwned


class LogEntry(CommunityOwned):
    """Never updated nor deleted: no service does, and a trigger (migration 0001) refuses UPDATE and DELETE.

    People are referenced by id and a copied name, not by foreign keys: a SET NULL on a member's erasure would be
    an UPDATE the trigger refuses, and the record must outlive the rows it names."""

    created_at = models.DateTimeField(auto_now_add=True)
    actor_member_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150)  # a member's name, "API key hth_ab…", or "system"/"scorer@1"
    action = models.CharField(max_length=40)
    subject_kind = models.CharField(max_length=10, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    target_member_id = models.BigIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "-created_at", "-id"], name="logentry_recent"),
            models.Index(fields=["community", "action", "-created_at"], name="logentry_action"),
            models.Index(fields=["community", "actor_member_id", "-created_at"], name="logentry_actor"),
            models.Index(fields=["community", "target_member_id", "-created_at"], name="logentry_target"),
        ]
