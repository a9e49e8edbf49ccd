"""The audit trail of privacy-relevant acts on members (export, erase, merge, unmerge)."""

from community.models import AuditEntry, Community
from community.policy import Actor


def audit_record(*, community: Community, actor: Actor, action: str, member_id: int | None, **details) -> AuditEntry:
    label = f"API key {actor.api_key.prefix}" if actor.api_key is not None else ""
    return AuditEntry.objects.create(
        community=community,
        action=action,
        member_id_ref=member_id,
        actor_user_id=actor.user_id,
        actor_label=label,
        details=details,
    )
