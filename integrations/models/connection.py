"""A community's connection to one channel (a repo, a workspace, a feed…) with its encrypted credentials."""

import secrets
import uuid

from django.conf import settings
from django.db import models

from community.tenancy.models import CommunityOwned
from integrations import crypto


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    FAILING = "failing", "Failing"
    NEEDS_REAUTH = "needs_reauth", "Needs re-authorisation"


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class ChannelConnection(CommunityOwned):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20)
    display_name = models.CharField(max_length=120)
    config = models.JSONField(default=dict, blank=True)
    # Fernet token of a JSON object; read through `credentials`, never rendered (see `masked_credentials`).
    credentials_encrypted = models.TextField(blank=True, default="")
    webhook_secret_encrypted = models.TextField(blank=True, default="")
    status = models.CharField(max_length=16, choices=ConnectionStatus.choices, default=ConnectionStatus.ACTIVE)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)
    sync_cursor = models.JSONField(default=dict, blank=True)
    poll_interval = models.PositiveIntegerField(default=900, help_text="Seconds between polls; 0 turns polling off.")
    next_poll_at = models.DateTimeField(null=True, blank=True)
    # "Check connection" runs in the worker (a web request must not wait on a tenant-chosen address); its outcome
    # lands here. last_check_ok is None while a requested check has not finished.
    last_check_requested_at = models.DateTimeField(null=True, blank=True)
    last_check_at = models.DateTimeField(null=True, blank=True)
    last_check_ok = models.BooleanField(null=True, blank=True)
    last_check_message = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "created_at"], name="channelconn_created"),
            models.Index(fields=["community", "status", "next_poll_at"], name="channelconn_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ConnectionStatus]), name="channelconn_status_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.kind})"

    def __repr__(self) -> str:  # never leak the tokens in logs or tracebacks
        return f"<ChannelConnection {self.pk} {self.kind}>"

    @property
    def credentials(self) -> dict:
        return crypto.decrypt_json(self.credentials_encrypted)

    @credentials.setter
    def credentials(self, value: dict) -> None:
        self.credentials_encrypted = crypto.encrypt_json({k: v for k, v in (value or {}).items() if v})

    @property
    def masked_credentials(self) -> dict:
        return {key: crypto.mask(value) for key, value in self.credentials.items()}

    @property
    def webhook_secret(self) -> str:
        return crypto.decrypt_json(self.webhook_secret_encrypted).get("secret", "")

    @webhook_secret.setter
    def webhook_secret(self, value: str) -> None:
        self.webhook_secret_encrypted = crypto.encrypt_json({"secret": value} if value else {})

    @property
    def is_polling(self) -> bool:
        return self.status == ConnectionStatus.ACTIVE and self.poll_interval > 0
