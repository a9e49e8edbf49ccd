"""Sanctions on a member (warn, silence, suspend, ban) with their period and reason, and the member's appeal."""

from django.db import models

from community.tenancy.models import CommunityOwned


class SanctionKind(models.TextChoices):
    WARN = "warn", "Warning"
    SILENCE = "silence", "Silenced (read-only)"
    SUSPEND = "suspend", "Suspended"
    BAN = "ban", "Banned"


class Sanction(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=SanctionKind.choices)
    reason = models.TextField()  # shown to the member
    guideline = models.CharField(max_length=120, blank=True)  # which part of the guidelines it refers to
    issued_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_label = models.CharField(max_length=150)
    item = models.ForeignKey("moderation.QueueItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ends_at = models.DateTimeField(null=True, blank=True)  # null: until lifted (bans; warnings have no effect)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_reason = models.CharField(max_length=200, blank=True)
    # The member's status before a suspension or ban, restored when the last one ends.
    previous_status = models.CharField(max_length=12, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["community", "member", "-created_at"], name="sanction_member"),
            # The beat's due scan: live sanctions with an end.
            models.Index(
                fields=["community", "ends_at"], name="sanction_due", condition=models.Q(lifted_at__isnull=True)
            ),
        ]

    @property
    def is_active(self) -> bool:
        return self.kind != SanctionKind.WARN and self.lifted_at is None


class AppealStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    GRANTED = "granted", "Granted: the sanction was lifted"
    DENIED = "denied", "Denied: the sanction stands"


class Appeal(CommunityOwned):
    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="appeals")
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=4000)
    status = models.CharField(max_length=8, choices=AppealStatus.choices, default=AppealStatus.OPEN)
    outcome_note = models.TextField(blank=True)  # shown to the member
    decided_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # One appeal per sanction, held by the database.
        constraints = [models.UniqueConstraint(fields=["community", "sanction"], name="appeal_one_per_sanction")]
        indexes = [models.Index(fields=["community", "member"], name="appeal_member")]
