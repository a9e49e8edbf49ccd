"""Replying (with reply-to and quote), editing with history, soft delete, accepting an answer."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from community.models import Community
from community.page_cache import public_pages_changed
from community.policy import Actor

from .. import permissions
from ..models import NotificationKind, Reply, Revision, Topic, TopicKind
from . import notifications, stream, subscriptions
from .common import actor_member, checked, clean_body, diff_text, render_body, require, topic_url


def reply_create(
    *,
    community: Community,
    actor: Actor,
    topic: Topic,
    body: str,
    reply_to: Reply | None = None,
    quote_of: Reply | None = None,
) -> Reply:
    require(topic.is_visible and permissions.can_read_space(actor, topic.space), "No such topic.", code="not_found")
    require(not topic.locked, "This topic is locked: no new replies.", code="permission_denied")
    require(not topic.archived, "This topic is archived: no new replies.", code="permission_denied")
    require(permissions.can_reply(actor, topic), "You may not reply in this space.", code="permission_denied")
    body = clean_body(body)
    for other in (reply_to, quote_of):
        require(other is None or other.topic_id == topic.pk, "Reply to a post of this topic.", field="reply_to")
    if quote_of is not None and not quote_of.is_deleted:
        quoted = "\n".join(f"> {line}" for line in quote_of.body.splitlines())
        body = clean_body(f"{quoted}\n\n{body}")
    _, body, verdict = checked(community, actor, "reply", "", body)
    html, mentioned = render_body(community, body)
    author = actor_member(actor)
    now = timezone.now()
    with transaction.atomic():
        public_pages_changed(community.pk)
        # The row lock serialises positions within a topic.
        locked = Topic.objects.for_community(community).select_for_update().get(pk=topic.pk)
        last = Reply.objects.for_community(community).filter(topic=topic).order_by("-position").first()
        reply = Reply.objects.create(
            community=community,
            topic=topic,
            author=author,
            position=(last.position if last else 0) + 1,
            body=body,
            body_html=html,
            reply_to=reply_to,
            quote_of=quote_of,
            # Held for review: stored hidden (the soft delete every reader honours) until a moderator approves it.
            deleted_at=now if verdict.hold else None,
        )
        Topic.objects.for_community(community).filter(pk=topic.pk).update(
            reply_count=F("reply_count") + 1, last_posted_at=now
        )
        topic.reply_count, topic.last_posted_at = locked.reply_count + 1, now
        subscriptions.auto_watch(community=community, member=author, topic=topic)
        if not verdict.hold:  # a held reply notifies nobody: readers could not open it
            _notify(community, author, topic, reply, mentioned, reply_to, quote_of)
        verdict.stored("reply", reply.pk)
        stream.record(
            community=community,
            member=author,
            kind="reply",
            external_id=f"reply:{reply.pk}",
            occurred_at=reply.created_at,
            title=topic.title,
            body=body,
            url=f"{topic_url(community, topic.pk)}#r{reply.position}",
            parent_external_id=f"topic:{topic.pk}",
        )
    return reply


def _notify(community, author, topic, reply, mentioned, reply_to, quote_of) -> None:
    reasons: dict[int, str] = {}
    for member in mentioned.values():
        notifications.add_reason(reasons, member.pk, NotificationKind.MENTION)
    if quote_of is not None:
        notifications.add_reason(reasons, quote_of.author_id, NotificationKind.QUOTE)
    if reply_to is not None:
        notifications.add_reason(reasons, reply_to.author_id, NotificationKind.REPLY)
    notifications.add_reason(reasons, topic.author_id, NotificationKind.REPLY)
    for member_id in notifications.watchers(community=community, topic=topic):
        notifications.add_reason(reasons, member_id, NotificationKind.WATCHED)
    notifications.notify(community=community, actor_member=author, topic=topic, reply=reply, reasons=reasons)


def reply_update(*, community: Community, actor: Actor, reply: Reply, body: str) -> Reply:
    require(not reply.is_deleted, "This reply was deleted.", code="conflict")
    require(permissions.can_edit(actor, reply.author_id), "You may not edit this reply.", code="permission_denied")
    require(
        not reply.topic.locked or permissions.is_moderator(actor), "This topic is locked.", code="permission_denied"
    )
    body = clean_body(body)
    if body == reply.body:
        return reply
    _, body, verdict = checked(community, actor, "reply", "", body, editing=True)
    with transaction.atomic():
        public_pages_changed(community.pk)
        Revision.objects.create(
            community=community,
            reply=reply,
            editor=actor_member(actor),
            body_before=reply.body,
            diff=diff_text(reply.body, body),
        )
        reply.body = body
        reply.body_html, _ = render_body(community, body)
        reply.edited_at = timezone.now()
        if verdict.hold:  # an edit that needs review hides the reply again until it is approved
            reply.deleted_at = reply.deleted_at or reply.edited_at
        reply.save(update_fields=["body", "body_html", "edited_at", "deleted_at"])
        verdict.stored("reply", reply.pk)
    return reply


def reply_delete(*, community: Community, actor: Actor, reply: Reply) -> Reply:
    require(permissions.can_edit(actor, reply.author_id), "You may not delete this reply.", code="permission_denied")
    if reply.is_deleted:
        return reply
    reply.deleted_at = timezone.now()
    reply.deleted_by = actor_member(actor)
    public_pages_changed(community.pk)
    reply.save(update_fields=["deleted_at", "deleted_by"])
    return reply


def answer_accept(*, community: Community, actor: Actor, topic: Topic, reply: Reply | None) -> Topic:
    """Mark (or with reply=None, unmark) the accepted answer of a question: its author or staff."""
    require(topic.kind == TopicKind.QUESTION, "Only questions have an accepted answer.", code="conflict")
    is_author = actor.is_member and topic.author_id == actor.member.pk
    require(
        is_author or permissions.is_moderator(actor), "Only the asker or staff may accept.", code="permission_denied"
    )
    if reply is not None:
        require(reply.topic_id == topic.pk and not reply.is_deleted, "Accept a reply of this topic.", field="reply_id")
    topic.accepted_reply = reply
    public_pages_changed(community.pk)
    topic.save(update_fields=["accepted_reply"])
    if reply is not None:
        notifications.notify(
            community=community,
            actor_member=actor_member(actor),
            topic=topic,
            reply=reply,
            reasons={reply.author_id: NotificationKind.ACCEPTED} if reply.author_id else {},
        )
        stream.record(
            community=community,
            member=reply.author,
            kind="accepted_answer",
            external_id=f"accepted:{topic.pk}:{reply.pk}",
            occurred_at=timezone.now(),
            title=topic.title,
            url=f"{topic_url(community, topic.pk)}#r{reply.position}",
            parent_external_id=f"reply:{reply.pk}",
        )
    return topic
