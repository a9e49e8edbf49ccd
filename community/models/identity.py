"""A member's account on one channel (GitHub user, Discord user, email address…): unique per community and channel."""

from django.db import models

from community.tenancy.models import CommunityOwned


class Identity(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="identities")
    channel = models.CharField(max_length=40)
    external_id = models.CharField(max_length=255)
    handle = models.CharField(max_length=150, blank=True)
    name = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)  # stored lower-case
    email_verified = models.BooleanField(default=False)
    url = models.URLField(max_length=500, blank=True)
    profile = models.JSONField(default=dict, blank=True)  # the raw profile as the channel gave it
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "identities"
        constraints = [
            models.UniqueConstraint(fields=["community", "channel", "external_id"], name="identity_unique_external"),
        ]
        indexes = [
            models.Index(fields=["community", "member"], name="identity_member"),
            models.Index(fields=["community", "email"], name="identity_email"),
            models.Index(fields=["community", "handle"], name="identity_handle"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.handle or self.external_id}"
