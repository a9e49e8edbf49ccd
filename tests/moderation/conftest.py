"""Moderation fixtures: the forum world (tests/discussions) plus a moderator, posts by bob, and helpers."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Member, Role
from community.tenancy import community_scope
from discussions.models import Reply, Topic
from tests.discussions.conftest import Forum, forum, in_a  # noqa: F401  (fixtures)
from tests.factories import add_member, make_user


@dataclass
class Mod:
    forum: Forum
    mia: Member  # moderator of A
    max: Member  # another moderator of A
    topic: Topic  # by bob
    reply: Reply  # by bob, in carol's topic

    def __getattr__(self, name):
        return getattr(self.forum, name)


def post_topic(world_forum, author, title="A post", body="Some text"):
    with community_scope(world_forum.a.pk):
        return Topic.objects.create(
            community=world_forum.a, space=world_forum.general, author=author, title=title, body=body,
            body_html=f"<p>{body}</p>", last_posted_at=timezone.now(),
        )  # fmt: skip


def age(member: Member, days: int = 30) -> Member:
    """Make a member old enough for their flags to count as trusted."""
    with community_scope(member.community_id):
        Member.objects.filter(pk=member.pk).update(joined_at=timezone.now() - timedelta(days=days))
        member.refresh_from_db()
    return member


@pytest.fixture
def mod(forum):  # noqa: F811
    mia = add_member(forum.a, make_user("mia@example.com"), role=Role.MODERATOR, display_name="mia")
    max_ = add_member(forum.a, make_user("max@example.com"), role=Role.MODERATOR, display_name="max")
    topic = post_topic(forum, forum.bob, "Bob's topic", "Buy cheap watches")
    carol_topic = post_topic(forum, forum.carol, "Carol's topic", "Hello")
    with community_scope(forum.a.pk):
        reply = Reply.objects.create(
            community=forum.a,
            topic=carol_topic,
            author=forum.bob,
            position=1,
            body="rude words",
            body_html="<p>rude</p>",
        )
    return Mod(forum, mia, max_, topic, reply)


@pytest.fixture
def scoped(mod):
    with community_scope(mod.a.pk):
        yield mod
