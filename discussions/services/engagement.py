"""Poll votes, reactions, bookmarks and read tracking: what members do to posts besides writing."""

from django.db import connection, transaction
from django.utils import timezone

from community.models import Community
from community.page_cache import public_pages_changed
from community.policy import Actor, can

from .. import permissions
from ..models import DEFAULT_REACTIONS, Bookmark, NotificationKind, Poll, PollVote, Reaction, Reply, Topic
from . import notifications, stream
from .common import require, topic_url


def reaction_set(community: Community) -> list[str]:
    return list((community.settings or {}).get("discussions", {}).get("reactions") or DEFAULT_REACTIONS)


def poll_vote(*, community: Community, actor: Actor, poll: Poll, option_ids: list[int]) -> list[PollVote]:
    """Vote (or change one's vote): one option for a single-choice poll, one or more for a multiple one."""
    topic = poll.topic
    require(actor.is_member and can(actor, "discussions.post"), "Only members may vote.", code="permission_denied")
    require(permissions.can_read_space(actor, topic.space), "No such poll.", code="not_found")
    require(not poll.is_closed, "This poll is closed.", code="conflict")
    require(not topic.locked, "This topic is locked.", code="conflict")
    option_ids = sorted({int(i) for i in option_ids})
    require(bool(option_ids), "Choose an option.", field="option_ids")
    require(poll.multiple or len(option_ids) == 1, "Choose one option only.", field="option_ids")
    valid = set(poll.options.filter(community=community, pk__in=option_ids).values_list("pk", flat=True))
    require(valid == set(option_ids), "Choose among this poll's options.", field="option_ids")
    with transaction.atomic():
        public_pages_changed(community.pk)
        PollVote.objects.for_community(community).filter(poll=poll, member=actor.member).delete()
        votes = PollVote.objects.bulk_create(
            [PollVote(community=community, poll=poll, option_id=i, member=actor.member) for i in option_ids]
        )
    stream.record(
        community=community,
        member=actor.member,
        kind="vote",
        external_id=f"vote:{poll.pk}:{actor.member.pk}",
        occurred_at=timezone.now(),
        title=topic.title,
        url=topic_url(community, topic.pk),
        parent_external_id=f"topic:{topic.pk}",
        extra={"option_ids": option_ids},
    )
    return votes


def reaction_toggle(
    *, community: Community, actor: Actor, topic: Topic, emoji: str, reply: Reply | None = None
) -> bool:
    """Add the member's reaction, or take it back if it is there. Returns True when it was added."""
    require(actor.is_member and can(actor, "discussions.post"), "Only members may react.", code="permission_denied")
    require(permissions.can_read_space(actor, topic.space), "No such topic.", code="not_found")
    require(emoji in reaction_set(community), "This reaction is not available here.", field="emoji")
    require(reply is None or (reply.topic_id == topic.pk and not reply.is_deleted), "No such reply.", code="not_found")
    existing = Reaction.objects.for_community(community).filter(
        topic=topic, reply=reply, member=actor.member, emoji=emoji
    )
    public_pages_changed(community.pk)
    if existing.delete()[0]:
        return False
    created = Reaction.objects.bulk_create(
        [Reaction(community=community, topic=topic, reply=reply, member=actor.member, emoji=emoji)],
        ignore_conflicts=True,
    )
    reaction = created[0]
    author_id = reply.author_id if reply is not None else topic.author_id
    notifications.notify(
        community=community,
        actor_member=actor.member,
        topic=topic,
        reply=reply,
        reasons={author_id: NotificationKind.REACTION} if author_id else {},
    )
    target = f"reply:{reply.pk}" if reply is not None else f"topic:{topic.pk}"
    stream.record(
        community=community,
        member=actor.member,
        kind="reaction",
        external_id=f"reaction:{target}:{actor.member.pk}:{emoji}",
        occurred_at=reaction.created_at or timezone.now(),
        title=topic.title,
        body=emoji,
        url=topic_url(community, topic.pk),
        parent_external_id=target,
    )
    return True


def bookmark_toggle(*, community: Community, actor: Actor, topic: Topic) -> bool:
    require(actor.is_member, "Only members may bookmark.", code="permission_denied")
    if Bookmark.objects.for_community(community).filter(member=actor.member, topic=topic).delete()[0]:
        return False
    Bookmark.objects.bulk_create(
        [Bookmark(community=community, member=actor.member, topic=topic)], ignore_conflicts=True
    )
    return True


def topic_mark_read(*, community: Community, actor: Actor, topic: Topic, position: int) -> None:
    """Remember the furthest reply the member has seen (never moves backwards); one statement.

    Re-reading what was already seen writes nothing: the WHERE skips the update (no dead tuple, no WAL).
    """
    if not actor.is_member:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO discussions_topicreadstate (community_id, member_id, topic_id, seen_position, read_at)
            VALUES (%s, %s, %s, %s, now())
            ON CONFLICT (community_id, member_id, topic_id)
            DO UPDATE SET seen_position = EXCLUDED.seen_position, read_at = now()
            WHERE discussions_topicreadstate.seen_position < EXCLUDED.seen_position
            """,
            [community.pk, actor.member.pk, topic.pk, position],
        )
