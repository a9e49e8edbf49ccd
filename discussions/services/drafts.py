"""Drafts, saved as one types (image uploads: services/uploads.py)."""

from community.models import Community
from community.policy import Actor

from ..models import Draft
from .common import MAX_BODY, require


def draft_save(*, community: Community, actor: Actor, key: str, title: str = "", body: str = "") -> Draft | None:
    require(actor.is_member, "Only members have drafts.", code="permission_denied")
    require(len(key) <= 60 and key.count(":") == 2, "Unknown draft.", field="key")
    if not title.strip() and not body.strip():
        draft_clear(community=community, actor=actor, key=key)
        return None
    draft, _ = Draft.objects.for_community(community).update_or_create(
        community=community,
        member=actor.member,
        key=key,
        defaults={"title": title[:200], "body": body[:MAX_BODY]},
    )
    return draft


def draft_get(*, community: Community, actor: Actor, key: str) -> Draft | None:
    if not actor.is_member:
        return None
    return Draft.objects.for_community(community).filter(member=actor.member, key=key).first()


def draft_clear(*, community: Community, actor: Actor, key: str) -> None:
    if actor.is_member:
        Draft.objects.for_community(community).filter(member=actor.member, key=key).delete()
