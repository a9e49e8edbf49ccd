"""Hiding a post until it is reviewed and showing it again: the forum side of a moderation decision.

The moderation app decides (its policy, its log); these only flip the soft-delete the forum already honours
everywhere (lists, search, feeds, the topic page), so a hidden post disappears the way a deleted one does.
A moderator's own removal still goes through topic_delete / reply_delete.
"""

from django.utils import timezone

from community.models import Community
from community.page_cache import public_pages_changed

from ..models import Reply, Topic


def topic_visibility_set(*, community: Community, topic: Topic, visible: bool) -> Topic:
    topic.deleted_at = None if visible else (topic.deleted_at or timezone.now())
    public_pages_changed(community.pk)
    Topic.objects.for_community(community).filter(pk=topic.pk).update(deleted_at=topic.deleted_at)
    return topic


def reply_visibility_set(*, community: Community, reply: Reply, visible: bool) -> Reply:
    reply.deleted_at = None if visible else (reply.deleted_at or timezone.now())
    if visible:
        reply.deleted_by = None
    public_pages_changed(community.pk)
    Reply.objects.for_community(community).filter(pk=reply.pk).update(
        deleted_at=reply.deleted_at, deleted_by=reply.deleted_by
    )
    return reply


def posts_hide(*, community: Community, topic_ids: list[int], reply_ids: list[int]) -> None:
    """Hide many posts at once (the screen held them): one UPDATE per table; posts already hidden keep their time."""
    now = timezone.now()
    if topic_ids:
        Topic.objects.for_community(community).filter(pk__in=topic_ids, deleted_at__isnull=True).update(deleted_at=now)
    if reply_ids:
        Reply.objects.for_community(community).filter(pk__in=reply_ids, deleted_at__isnull=True).update(deleted_at=now)
    public_pages_changed(community.pk)
