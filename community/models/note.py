"""Private staff notes on a member, never shown to the member."""

from django.conf import settings
from django.db import models

from community.tenancy.models import CommunityOwned


class StaffNote(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["community", "member", "created_at"], name="staffnote_member")]
