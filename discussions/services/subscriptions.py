"""Watching topics and spaces, tracking levels, and the automatic watch of what one starts or replies to."""

from community.models import Community, Member
from community.policy import Actor

from ..models import Level, NotificationPreference, Space, Subscription, Topic
from .common import require


def subscription_set(
    *, community: Community, actor: Actor, level: str, topic: Topic | None = None, space: Space | None = None
) -> Subscription:
    require(actor.is_member, "Only members can watch.", code="permission_denied")
    require(level in Level.values, f"Unknown level {level!r}.", field="level")
    require((topic is None) != (space is None), "Watch either a topic or a space.")
    subscription, _ = Subscription.objects.for_community(community).update_or_create(
        community=community, member=actor.member, topic=topic, space=space, defaults={"level": level}
    )
    return subscription


def auto_watch(*, community: Community, member: Member | None, topic: Topic) -> None:
    """Watch a topic one started or replied to, unless the member turned it off or chose a level already."""
    if member is None:
        return
    pref = NotificationPreference.objects.for_community(community).filter(member=member).first()
    if pref is not None and not pref.auto_watch:
        return
    Subscription.objects.bulk_create(
        [Subscription(community=community, member=member, topic=topic, level=Level.WATCHING)], ignore_conflicts=True
    )
