"""Starting, editing, scheduling and moderating topics (pin, lock, archive, move, merge, split)."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.content_checks import ContentVerdict
from community.models import Community
from community.page_cache import public_pages_changed
from community.policy import Actor, can

from .. import permissions
from ..models import Pin, Poll, PollOption, Reply, ResultsVisibility, Revision, Space, Topic, TopicKind, TopicStatus
from . import notifications, stream, subscriptions
from .common import (
    actor_member,
    checked,
    clean_body,
    clean_tags,
    clean_title,
    diff_text,
    render_body,
    require,
    topic_url,
)

MAX_POLL_OPTIONS = 20


def topic_create(
    *,
    community: Community,
    actor: Actor,
    space: Space,
    title: str,
    body: str,
    kind: str = TopicKind.DISCUSSION,
    tags=(),
    poll_options=(),
    poll_multiple: bool = False,
    poll_closes_at: datetime | None = None,
    poll_results: str = ResultsVisibility.ALWAYS,
    publish_at: datetime | None = None,
) -> Topic:
    require(permissions.can_read_space(actor, space), "No such space.", code="not_found")
    require(
        permissions.can_start_topic(actor, space),
        f"You may not start topics in {space.name}.",
        code="permission_denied",
    )
    require(kind in TopicKind.values, f"Unknown topic type {kind!r}.", field="kind")
    if kind == TopicKind.ANNOUNCEMENT:
        require(permissions.is_moderator(actor), "Only staff may post an announcement.", code="permission_denied")
    if kind == TopicKind.ARTICLE:
        require(
            permissions.can_write_article(actor),
            "Only staff and trusted authors may post an article.",
            code="permission_denied",
        )
    title, body, tags = clean_title(title), clean_body(body), clean_tags(tags)
    options = [str(o).strip() for o in poll_options if str(o).strip()]
    now = timezone.now()
    if kind == TopicKind.POLL:
        require(len(options) >= 2, "A poll needs at least two options.", field="poll_options")
        require(len(options) <= MAX_POLL_OPTIONS, f"A poll has at most {MAX_POLL_OPTIONS} options.")
        require(len(set(o.lower() for o in options)) == len(options), "Poll options must differ.")
        require(all(len(o) <= 200 for o in options), "Keep each option under 200 characters.")
        require(poll_closes_at is None or poll_closes_at > now, "The close date is in the past.", field="closes_at")
        require(poll_results in ResultsVisibility.values, "Unknown results visibility.")
    scheduled = publish_at is not None and publish_at > now
    if scheduled:
        require(can(actor, "discussions.manage"), "Only managers may schedule posts.", code="permission_denied")
    title, body, verdict = checked(community, actor, "topic", title, body)
    html, mentioned = render_body(community, body)
    author = actor_member(actor)
    with transaction.atomic():
        public_pages_changed(community.pk)
        topic = Topic.objects.create(
            community=community,
            space=space,
            author=author,
            kind=kind,
            title=title,
            body=body,
            body_html=html,
            tags=tags,
            status=TopicStatus.SCHEDULED if scheduled else TopicStatus.PUBLISHED,
            publish_at=publish_at if scheduled else None,
            last_posted_at=publish_at if scheduled else now,
            # Held for review: stored hidden (the soft delete every reader honours) until a moderator approves it.
            deleted_at=now if verdict.hold else None,
        )
        topic.community = community
        if kind == TopicKind.POLL:
            poll = Poll.objects.create(
                community=community,
                topic=topic,
                multiple=poll_multiple,
                closes_at=poll_closes_at,
                results_visibility=poll_results,
            )
            PollOption.objects.bulk_create(
                [PollOption(community=community, poll=poll, label=o, position=i) for i, o in enumerate(options)]
            )
        if not scheduled:
            _on_published(community=community, topic=topic, mentioned=mentioned, notify=not verdict.hold)
        verdict.stored("topic", topic.pk)
    return topic


def _on_published(*, community: Community, topic: Topic, mentioned: dict, notify: bool = True) -> None:
    subscriptions.auto_watch(community=community, member=topic.author, topic=topic)
    if notify:  # a held post notifies nobody: readers could not open it
        reasons: dict[int, str] = {}
        for member in mentioned.values():
            notifications.add_reason(reasons, member.pk, "mention")
        for member_id in notifications.watchers(community=community, topic=topic):
            notifications.add_reason(reasons, member_id, "watched")
        notifications.notify(community=community, actor_member=topic.author, topic=topic, reply=None, reasons=reasons)
    stream.record(
        community=community,
        member=topic.author,
        kind="post",
        external_id=f"topic:{topic.pk}",
        occurred_at=topic.last_posted_at,
        title=topic.title,
        body=topic.body,
        url=topic_url(community, topic.pk),
        extra={"space": topic.space.slug, "topic_kind": topic.kind, "tags": topic.tags},
    )


def topics_publish_due(*, community: Community, now: datetime | None = None) -> list[int]:
    """Publish scheduled topics whose time has come; a topic is claimed by one worker only (row lock)."""
    now = now or timezone.now()
    published = []
    with transaction.atomic():
        due = list(
            Topic.objects.for_community(community)
            .filter(status=TopicStatus.SCHEDULED, publish_at__lte=now)
            .select_related("space", "author")
            .select_for_update(skip_locked=True, of=("self",))[:200]
        )
        for topic in due:
            topic.community = community
            Topic.objects.for_community(community).filter(pk=topic.pk).update(
                status=TopicStatus.PUBLISHED, last_posted_at=topic.publish_at, created_at=topic.publish_at
            )
            topic.status = TopicStatus.PUBLISHED
            _, mentioned = render_body(community, topic.body)
            _on_published(community=community, topic=topic, mentioned=mentioned)
            published.append(topic.pk)
        if published:
            public_pages_changed(community.pk)
    return published


def topic_update(
    *, community: Community, actor: Actor, topic: Topic, title: str | None = None, body: str | None = None, tags=None
) -> Topic:
    require(permissions.can_edit(actor, topic.author_id), "You may not edit this topic.", code="permission_denied")
    require(not topic.locked or permissions.is_moderator(actor), "This topic is locked.", code="permission_denied")
    new_title = clean_title(title) if title is not None else topic.title
    new_body = clean_body(body) if body is not None else topic.body
    if new_title == topic.title and new_body == topic.body and tags is None:
        return topic
    if new_title != topic.title or new_body != topic.body:
        new_title, new_body, verdict = checked(community, actor, "topic", new_title, new_body, editing=True)
    else:
        verdict = ContentVerdict()
    with transaction.atomic():
        public_pages_changed(community.pk)
        Revision.objects.create(
            community=community,
            topic=topic,
            editor=actor_member(actor),
            title_before=topic.title,
            body_before=topic.body,
            diff=diff_text(f"# {topic.title}\n{topic.body}", f"# {new_title}\n{new_body}"),
        )
        topic.title, topic.body = new_title, new_body
        topic.body_html, _ = render_body(community, new_body)
        if tags is not None:
            topic.tags = clean_tags(tags)
        topic.edited_at = timezone.now()
        if verdict.hold:  # an edit that needs review hides the post again until it is approved
            topic.deleted_at = topic.deleted_at or topic.edited_at
        topic.save(update_fields=["title", "body", "body_html", "tags", "edited_at", "deleted_at"])
        verdict.stored("topic", topic.pk)
    return topic


def topic_moderate(
    *,
    community: Community,
    actor: Actor,
    topic: Topic,
    pin: str | None = None,
    locked: bool | None = None,
    archived: bool | None = None,
    space: Space | None = None,
) -> Topic:
    require(permissions.is_moderator(actor), "Only staff may moderate topics.", code="permission_denied")
    fields = []
    if pin is not None:
        require(pin in Pin.values, "Pin in the space, globally or not at all.", field="pin")
        topic.pin = pin
        fields.append("pin")
    if locked is not None:
        topic.locked = locked
        fields.append("locked")
    if archived is not None:
        topic.archived = archived
        fields.append("archived")
    if space is not None and space.pk != topic.space_id:
        topic.space = space
        fields.append("space")
    if fields:
        public_pages_changed(community.pk)
        topic.save(update_fields=fields)
    return topic


def topic_delete(*, community: Community, actor: Actor, topic: Topic) -> Topic:
    require(permissions.can_edit(actor, topic.author_id), "You may not delete this topic.", code="permission_denied")
    topic.deleted_at = timezone.now()
    public_pages_changed(community.pk)
    topic.save(update_fields=["deleted_at"])
    return topic


def topic_merge(*, community: Community, actor: Actor, source: Topic, target: Topic) -> Topic:
    """Move the source topic (its first post becomes a reply) and its replies to the end of the target."""
    require(permissions.is_moderator(actor), "Only staff may merge topics.", code="permission_denied")
    require(source.pk != target.pk, "Choose another topic to merge into.", field="target")
    with transaction.atomic():
        public_pages_changed(community.pk)
        target = Topic.objects.for_community(community).select_for_update().get(pk=target.pk)
        replies = list(Reply.objects.for_community(community).filter(topic=source).order_by("position"))
        base = _last_position(community, target)
        first = Reply(
            community=community,
            topic=target,
            author_id=source.author_id,
            position=base + 1,
            body=source.body,
            body_html=source.body_html,
        )
        first.save()
        Reply.objects.for_community(community).filter(pk=first.pk).update(created_at=source.created_at)
        for offset, reply in enumerate(replies, start=2):
            reply.topic, reply.position = target, base + offset
        Reply.objects.bulk_update(replies, ["topic", "position"])
        from ..models import Reaction

        Reaction.objects.for_community(community).filter(topic=source, reply__isnull=False).update(topic=target)
        Reaction.objects.for_community(community).filter(topic=source, reply__isnull=True).update(
            topic=target, reply=first
        )
        Topic.objects.for_community(community).filter(pk=target.pk).update(
            reply_count=F("reply_count") + len(replies) + 1,
            last_posted_at=max(target.last_posted_at, source.last_posted_at),
        )
        Topic.objects.for_community(community).filter(pk=source.pk).update(
            merged_into=target, reply_count=0, archived=True, locked=True
        )
    target.refresh_from_db()
    return target


def topic_split(
    *, community: Community, actor: Actor, topic: Topic, reply_ids: list[int], title: str, space: Space | None = None
) -> Topic:
    """Split replies out into a new topic: the first becomes its opening post, the rest follow in order."""
    require(permissions.is_moderator(actor), "Only staff may split topics.", code="permission_denied")
    title = clean_title(title)
    replies = list(
        Reply.objects.for_community(community)
        .filter(topic=topic, pk__in=reply_ids, deleted_at__isnull=True)
        .order_by("position")
    )
    require(bool(replies), "Choose at least one reply to split out.", field="reply_ids")
    with transaction.atomic():
        public_pages_changed(community.pk)
        first, rest = replies[0], replies[1:]
        new = Topic.objects.create(
            community=community,
            space=space or topic.space,
            author_id=first.author_id,
            title=title,
            body=first.body,
            body_html=first.body_html,
            last_posted_at=(rest[-1] if rest else first).created_at,
            reply_count=len(rest),
        )
        Topic.objects.for_community(community).filter(pk=new.pk).update(created_at=first.created_at)
        from ..models import Reaction

        Reaction.objects.for_community(community).filter(reply=first).update(topic=new, reply=None)
        Reaction.objects.for_community(community).filter(reply__in=rest).update(topic=new)
        for position, reply in enumerate(rest, start=1):
            reply.topic, reply.position = new, position
        Reply.objects.bulk_update(rest, ["topic", "position"])
        if topic.accepted_reply_id == first.pk:
            topic.accepted_reply = None
            topic.save(update_fields=["accepted_reply"])
        first.delete()
        Topic.objects.for_community(community).filter(pk=topic.pk).update(reply_count=F("reply_count") - len(replies))
    new.community = community
    return new


def _last_position(community: Community, topic: Topic) -> int:
    last = Reply.objects.for_community(community).filter(topic=topic).order_by("-position").first()
    return last.position if last else 0
