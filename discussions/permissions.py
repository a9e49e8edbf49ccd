"""Who may read a space, start a topic, reply, edit, accept and moderate: layered on community.policy."""

from django.db.models import Exists, OuterRef, Q

from community.models import Member, Role
from community.policy import RANK, Actor, can

from .models import PostPolicy, Space, SpaceGroupMember, SpaceVisibility, Topic


def is_moderator(actor: Actor) -> bool:
    return can(actor, "discussions.moderate")


# Members whose tags include this may publish articles without a staff role (a manager tags them).
TRUSTED_AUTHOR_TAG = "trusted-author"


def can_write_article(actor: Actor) -> bool:
    """Long-form articles: staff, or members the managers marked as trusted authors."""
    if is_moderator(actor):
        return True
    return actor.is_member and TRUSTED_AUTHOR_TAG in (actor.member.tags or [])


def readable_spaces_q(actor: Actor, through: str = "") -> Q:
    """A filter on Space: public spaces; members-only to members and keys; private groups to their members.

    `through` applies it to a related model through its join ("space__" for topics, "topic__space__" for
    replies). A filter on the joined space, not `space__in=<subquery>`: with the subquery the planner joins
    space by space and sorts every topic, instead of walking a list's ordered index and stopping at its LIMIT
    (20 ms vs 0.2 ms for a 7,700-topic community).
    """
    if actor.is_staff:
        return Q()
    visible = [SpaceVisibility.PUBLIC]
    if actor.is_member or actor.api_key is not None:
        visible.append(SpaceVisibility.MEMBERS)
    q = Q(**{f"{through}visibility__in": visible})
    if actor.is_member:
        in_group = SpaceGroupMember.objects.filter(
            community_id=actor.community.pk, space=OuterRef(f"{through}pk"), member=actor.member
        )
        q |= Q(**{f"{through}visibility": SpaceVisibility.GROUP}) & Exists(in_group)
    return q


def _staff_roles() -> list[str]:
    return [role for role, rank in RANK.items() if rank >= RANK[Role.MODERATOR]]


def recipient_reads_q(*, recipient: str = "recipient__", space: str = "topic__space__") -> Q:
    """A filter on rows addressed to a member (notifications): that member may read the row's space now.

    Work addressed to many members at once has no one actor, so the rule of `readable_spaces_q` for a member is
    applied per row: public and members-only spaces to every member, private groups to their members, all to
    staff. Checked again when notifications are listed, counted and emailed, since access can be lost after.
    """
    in_group = SpaceGroupMember.objects.filter(
        community_id=OuterRef(f"{space}community_id"), space=OuterRef(f"{space}pk"), member=OuterRef(f"{recipient}pk")
    )
    return (
        Q(**{f"{space}visibility__in": [SpaceVisibility.PUBLIC, SpaceVisibility.MEMBERS]})
        | Q(**{f"{recipient}role__in": _staff_roles()})
        | Exists(in_group)
    )


def readers_among(space: Space, member_ids: list[int]) -> set[int]:
    """The members of `member_ids` who may read `space` (one query; none for a public or members-only space)."""
    if space.visibility != SpaceVisibility.GROUP:
        return set(member_ids)
    in_group = SpaceGroupMember.objects.filter(community_id=space.community_id, space=space, member=OuterRef("pk"))
    return set(
        Member.objects.filter(community_id=space.community_id, pk__in=member_ids)
        .filter(Q(role__in=_staff_roles()) | Exists(in_group))
        .values_list("pk", flat=True)
    )


def can_read_space(actor: Actor, space: Space) -> bool:
    if not can(actor, "discussions.read"):
        return False
    if actor.is_staff or space.visibility == SpaceVisibility.PUBLIC:
        return True
    if space.visibility == SpaceVisibility.MEMBERS:
        return actor.is_member or actor.api_key is not None
    return (
        actor.is_member
        and SpaceGroupMember.objects.filter(community_id=actor.community.pk, space=space, member=actor.member).exists()
    )


def _passes(actor: Actor, policy: str) -> bool:
    if policy == PostPolicy.STAFF:
        return is_moderator(actor)
    return can(actor, "discussions.post")


def can_start_topic(actor: Actor, space: Space) -> bool:
    return _passes(actor, space.start_policy)


def can_reply(actor: Actor, topic: Topic) -> bool:
    if topic.locked or topic.archived:
        return False
    return _passes(actor, topic.space.reply_policy)


def can_edit(actor: Actor, author_id: int | None) -> bool:
    if is_moderator(actor):
        return True
    return actor.is_member and author_id is not None and author_id == actor.member.pk and can(actor, "discussions.post")
