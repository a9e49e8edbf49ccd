"""API keys: one community each, scoped, stored hashed, shown once, revocable."""

from django.conf import settings
from django.db import models

from community.tenancy.models import CommunityOwned

# Scopes are `<area>:<read|write>`; write implies read of the same area. The areas are the core's and each
# registered app's (community.registry.api_scopes).


class ApiKey(CommunityOwned):
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    hashed_key = models.CharField(max_length=128)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["community", "created_at"], name="apikey_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        area, _, mode = scope.partition(":")
        return scope in self.scopes or (mode == "read" and f"{area}:write" in self.scopes)
