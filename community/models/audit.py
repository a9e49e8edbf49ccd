"""The privacy audit trail: who exported or erased which member's data, and when."""

from django.conf import settings
from django.db import models

from community.tenancy.models import CommunityOwned


class AuditEntry(CommunityOwned):
    action = models.CharField(max_length=40)  # "member.export" | "member.erase" | "member.merge" | "member.unmerge"
    # A plain id, not an FK: the record must outlive what it describes.
    member_id_ref = models.BigIntegerField(null=True, blank=True)
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=150, blank=True)  # "API key abc123…" when a key acted
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["community", "created_at"], name="auditentry_created")]
