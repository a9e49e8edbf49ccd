"""Writing the append-only moderation log: one insert per action, never an update (the table refuses them)."""

from community.models import Community
from community.policy import Actor

from ..models import LogEntry

SYSTEM = "system"


def actor_label(actor: Actor | None) -> str:
    if actor is None:
        return SYSTEM
    if actor.api_key is not None:
        return f"API key {actor.api_key.prefix}…"
    if actor.member is not None:
        return actor.member.display_name
    return "anonymous"


def log_record(
    *,
    community: Community,
    actor: Actor | None,
    action: str,
    subject_kind: str = "",
    subject_id: int | None = None,
    target_member_id: int | None = None,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
    label: str | None = None,
) -> LogEntry:
    """Append one entry. `label` names a non-person actor (a scorer "hearth-spam@2")."""
    member = actor.member if actor is not None and actor.api_key is None else None
    return LogEntry.objects.create(
        community=community,
        actor_member_id=member.pk if member is not None else None,
        actor_label=label or actor_label(actor),
        action=action,
        subject_kind=subject_kind,
        subject_id=subject_id,
        target_member_id=target_member_id,
        reason=reason,
        before=before or {},
        after=after or {},
    )
