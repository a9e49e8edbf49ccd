"""What a queue item points at (a topic, a reply, a channel activity, an appeal): its snapshot and the content actions.

The forum's own services do the work (topic_delete, reply_delete, topic_moderate, visibility). A channel activity
has no visibility of its own here: approving or hiding it sets its `moderation_status`, removing it also asks the
platform to delete it through the connection's credentials (integrations.services.removals, in the worker).
"""

from dataclasses import dataclass

from community.errors import ServiceError
from community.models import Activity, Community, Member
from community.policy import Actor
from community.services import members as member_services
from discussions.models import Reply, Topic
from discussions.services import replies as reply_services
from discussions.services import topics as topic_services
from discussions.services import visibility
from integrations.services.removals import channel_removal_request

from ..models import Appeal, SubjectKind

EXCERPT = 2000


@dataclass(frozen=True)
class Snapshot:
    author_id: int | None
    title: str
    excerpt: str
    url: str


def _topic(community: Community, subject_id: int) -> Topic:
    topic = Topic.objects.for_community(community).filter(pk=subject_id).first()
    if topic is None:
        raise ServiceError("No such topic.", code="not_found", field="subject_id")
    return topic


def _reply(community: Community, subject_id: int) -> Reply:
    reply = Reply.objects.for_community(community).filter(pk=subject_id).select_related("topic").first()
    if reply is None:
        raise ServiceError("No such reply.", code="not_found", field="subject_id")
    return reply


def snapshot(*, community: Community, subject_kind: str, subject_id: int) -> Snapshot:
    if subject_kind == SubjectKind.TOPIC:
        topic = _topic(community, subject_id)
        return Snapshot(topic.author_id, topic.title, topic.body[:EXCERPT], f"/c/{community.slug}/d/t/{topic.pk}/")
    if subject_kind == SubjectKind.REPLY:
        reply = _reply(community, subject_id)
        url = f"/c/{community.slug}/d/t/{reply.topic_id}/#r{reply.position}"
        return Snapshot(reply.author_id, f"Reply in: {reply.topic.title}", reply.body[:EXCERPT], url)
    if subject_kind == SubjectKind.ACTIVITY:
        activity = Activity.objects.for_community(community).filter(pk=subject_id).first()
        if activity is None:
            raise ServiceError("No such activity.", code="not_found", field="subject_id")
        title = activity.title or f"{activity.kind} on {activity.channel}"
        return Snapshot(activity.member_id, title[:200], activity.body[:EXCERPT], activity.url)
    if subject_kind == SubjectKind.SIGNUP:
        member = Member.objects.for_community(community).filter(pk=subject_id).select_related("user").first()
        if member is None:
            raise ServiceError("No such member.", code="not_found", field="subject_id")
        email = member.email or (member.user.email if member.user else "")
        domain = email.rpartition("@")[2]
        excerpt = f"{member.display_name} asked to join{f' (an address at {domain})' if domain else ''}."
        return Snapshot(member.pk, f"Request to join: {member.display_name}"[:200], excerpt, "")
    if subject_kind == SubjectKind.APPEAL:
        appeal = Appeal.objects.for_community(community).filter(pk=subject_id).select_related("sanction").first()
        if appeal is None:
            raise ServiceError("No such appeal.", code="not_found", field="subject_id")
        title = f"Appeal against: {appeal.sanction.get_kind_display()}"
        return Snapshot(appeal.member_id, title, appeal.body[:EXCERPT], "")
    raise ServiceError(f"Unknown subject kind {subject_kind!r}.", field="subject_kind")


def content_show(*, community: Community, subject_kind: str, subject_id: int, visible: bool) -> bool:
    """Hide or show a forum post without a person's permission check (the caller decided); False: nothing to do."""
    if subject_kind == SubjectKind.TOPIC:
        visibility.topic_visibility_set(community=community, topic=_topic(community, subject_id), visible=visible)
        return True
    if subject_kind == SubjectKind.REPLY:
        visibility.reply_visibility_set(community=community, reply=_reply(community, subject_id), visible=visible)
        return True
    if subject_kind == SubjectKind.ACTIVITY:
        # Hearth's own record of the decision (the stream and the API show it); the platform is left as it is.
        status = "published" if visible else "hidden"
        return bool(Activity.objects.for_community(community).filter(pk=subject_id).update(moderation_status=status))
    return False


def content_remove(*, community: Community, actor: Actor, subject_kind: str, subject_id: int) -> bool:
    """A moderator's removal: the forum's own delete services, under the forum's permission rule."""
    if subject_kind == SubjectKind.TOPIC:
        topic_services.topic_delete(community=community, actor=actor, topic=_topic(community, subject_id))
        return True
    if subject_kind == SubjectKind.REPLY:
        reply_services.reply_delete(community=community, actor=actor, reply=_reply(community, subject_id))
        return True
    if subject_kind == SubjectKind.ACTIVITY:
        activities = Activity.objects.for_community(community).filter(pk=subject_id)
        activity = activities.first()
        if activity is None:
            raise ServiceError("No such activity.", code="not_found", field="subject_id")
        activities.update(moderation_status="removed")
        return channel_removal_request(community=community, actor=actor, activity=activity) is not None
    return False


def topic_lock(*, community: Community, actor: Actor, subject_kind: str, subject_id: int) -> int:
    """Lock the topic of a topic or a reply; the topic's id."""
    if subject_kind == SubjectKind.TOPIC:
        topic = _topic(community, subject_id)
    elif subject_kind == SubjectKind.REPLY:
        topic = _reply(community, subject_id).topic
    else:
        raise ServiceError("Only forum posts have a topic to lock.", code="conflict")
    topic_services.topic_moderate(community=community, actor=actor, topic=topic, locked=True)
    return topic.pk


def content_text(*, community: Community, subject_kind: str, subject_id: int) -> tuple[str, str] | None:
    """The whole title and body of a forum post (the item keeps an excerpt only), for editing; None otherwise."""
    if subject_kind == SubjectKind.TOPIC:
        topic = _topic(community, subject_id)
        return topic.title, topic.body
    if subject_kind == SubjectKind.REPLY:
        return "", _reply(community, subject_id).body
    return None


def content_edit(
    *, community: Community, actor: Actor, subject_kind: str, subject_id: int, body: str, title: str | None = None
) -> dict:
    """A moderator's edit of a forum post through the forum's own edit services (revisions, sanitising, checks);
    shown first if it was hidden, since the forum does not edit deleted posts. The before and after, for the log."""
    if subject_kind not in (SubjectKind.TOPIC, SubjectKind.REPLY):
        raise ServiceError("Only forum posts can be edited here; open the original for a channel's.", code="conflict")
    content_show(community=community, subject_kind=subject_kind, subject_id=subject_id, visible=True)
    if subject_kind == SubjectKind.TOPIC:
        topic = _topic(community, subject_id)
        before = {"title": topic.title, "body": topic.body}
        topic = topic_services.topic_update(community=community, actor=actor, topic=topic, title=title, body=body)
        return {"before": before, "after": {"title": topic.title, "body": topic.body}}
    reply = _reply(community, subject_id)
    before = {"body": reply.body}
    reply = reply_services.reply_update(community=community, actor=actor, reply=reply, body=body)
    return {"before": before, "after": {"body": reply.body}}


def signup_decide(*, community: Community, actor: Actor, member_id: int, approve: bool) -> None:
    """A request to join decided from the queue, by the core's own services and their permission (managers)."""
    member = Member.objects.for_community(community).filter(pk=member_id).first()
    if member is None:
        raise ServiceError("No such member.", code="not_found", field="subject_id")
    if approve:
        member_services.member_approve(community=community, actor=actor, member=member)
    else:
        member_services.member_decline(community=community, actor=actor, member=member)
