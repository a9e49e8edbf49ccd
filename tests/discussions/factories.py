"""Forum test data without going through the services (fast, for fixtures and the cross-tenant walk)."""

from django.utils import timezone

from community.models import Member
from discussions.models import (
    Bookmark,
    Draft,
    Notification,
    Poll,
    PollOption,
    Reaction,
    Reply,
    Space,
    Subscription,
    Topic,
    TopicKind,
)


def populate_forum(community) -> Topic:
    """One of each forum object in the (already scoped) community, with sentinel-free ordinary content."""
    member = Member.objects.for_community(community).order_by("pk").first()
    space = Space.objects.create(community=community, name="Sentinel Bravo Space", slug="sentinel-space")
    topic = Topic.objects.create(
        community=community,
        space=space,
        author=member,
        title="Sentinel Bravo Topic",
        body="SENTINEL-B-TOPIC",
        body_html="<p>SENTINEL-B-TOPIC</p>",
        kind=TopicKind.POLL,
        last_posted_at=timezone.now(),
    )
    reply = Reply.objects.create(
        community=community,
        topic=topic,
        author=member,
        position=1,
        body="SENTINEL-B-REPLY",
        body_html="<p>SENTINEL-B-REPLY</p>",
    )
    poll = Poll.objects.create(community=community, topic=topic)
    PollOption.objects.create(community=community, poll=poll, label="yes")
    PollOption.objects.create(community=community, poll=poll, label="no")
    Reaction.objects.create(community=community, topic=topic, reply=reply, member=member, emoji="👍")
    Bookmark.objects.create(community=community, topic=topic, member=member)
    Subscription.objects.create(community=community, topic=topic, member=member)
    Notification.objects.create(community=community, recipient=member, kind="reply", topic=topic, reply=reply)
    Draft.objects.create(community=community, member=member, key="reply:topic:1", body="SENTINEL-B-DRAFT")
    return topic
