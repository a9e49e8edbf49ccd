"""Invitations of teammates by email with a role; the link carries a signed, expiring token."""

from django.conf import settings
from django.db import models

from community.tenancy.models import CommunityOwned

from .member import Role


class Invitation(CommunityOwned):
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set by the worker once the mail server took the message: a retried or re-delivered task sends nothing twice.
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["community", "created_at"], name="invitation_created")]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.role}"
