"""Constant query counts: the same number of queries with 1 and with 50 topics or replies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from community.tenancy import community_scope
from discussions.models import Notification, Reaction, Reply, Topic, TopicReadState
from tests.factories import add_member

pytestmark = pytest.mark.django_db


def _members(forum, n):
    return [add_member(forum.a, None, display_name=f"m{i}") for i in range(n)]


def add_topics(forum, n, start=0):
    """n topics by n different members, each with one reply, a reaction, tags, and bob's read state."""
    members = _members(forum, n)
    with community_scope(forum.a.pk):
        now = timezone.now()
        made = Topic.objects.bulk_create(
            [
                Topic(
                    community=forum.a,
                    space=forum.general,
                    author=m,
                    title=f"Topic {start + i}",
                    body="b",
                    body_html="<p>b</p>",
                    tags=["t"],
                    last_posted_at=now,
                    reply_count=1,
                )
                for i, m in enumerate(members)
            ]
        )
        replies = Reply.objects.bulk_create(
            [
                Reply(community=forum.a, topic=t, author=m, position=1, body="r", body_html="<p>r</p>")
                for t, m in zip(made, members, strict=True)
            ]
        )
        Reaction.objects.bulk_create(
            [Reaction(community=forum.a, topic=t, member=m, emoji="👍") for t, m in zip(made, members, strict=True)]
        )
        TopicReadState.objects.bulk_create([TopicReadState(community=forum.a, topic=t, member=forum.bob) for t in made])
        Notification.objects.bulk_create(
            [
                Notification(community=forum.a, recipient=forum.bob, actor=m, kind="reply", topic=t, reply=r)
                for t, m, r in zip(made, members, replies, strict=True)
            ]
        )
    return made


def add_replies(forum, topic, n, start=0):
    members = _members(forum, n)
    with community_scope(forum.a.pk):
        replies = Reply.objects.bulk_create(
            [
                Reply(community=forum.a, topic=topic, author=m, position=start + i + 1, body="r", body_html="<p>r</p>")
                for i, m in enumerate(members)
            ]
        )
        Reaction.objects.bulk_create(
            [
                Reaction(community=forum.a, topic=topic, reply=r, member=m, emoji="👍")
                for r, m in zip(replies, members, strict=True)
            ]
        )
        Topic.objects.for_community(forum.a).filter(pk=topic.pk).update(reply_count=start + n)


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def assert_constant(django_assert_num_queries, fn, grow, expected):
    """`expected` queries with one row, and exactly the same after `grow()` adds 49 more."""
    assert _count(fn) == expected
    grow()
    with django_assert_num_queries(expected):
        fn()


@pytest.fixture
def bob_client(client, forum):
    client.force_login(forum.world.bob)
    return client


@pytest.mark.parametrize(
    ("url", "expected"),
    [("/c/alpha/d/", 10), ("/c/alpha/d/s/general/", 11), ("/c/alpha/", 9), ("/c/alpha/d/top/", 10)],
)
def test_topic_lists_are_constant(bob_client, forum, django_assert_num_queries, url, expected):
    add_topics(forum, 1)
    assert_constant(django_assert_num_queries, lambda: bob_client.get(url), lambda: add_topics(forum, 49, 1), expected)


def test_topic_page_is_constant(bob_client, forum, django_assert_num_queries):
    topic = add_topics(forum, 1)[0]
    assert_constant(
        django_assert_num_queries,
        lambda: bob_client.get(f"/c/alpha/d/t/{topic.pk}/?page=1"),
        lambda: add_replies(forum, topic, 49, start=1),
        14,
    )


@pytest.mark.parametrize(("path", "expected"), [("topics/", 8), ("spaces/", 8), ("notifications/", 8)])
def test_api_lists_are_constant(forum, django_assert_num_queries, path, expected):
    api = APIClient()
    api.force_login(forum.world.bob)
    add_topics(forum, 1)
    assert_constant(
        django_assert_num_queries,
        lambda: api.get(f"/api/v1/c/alpha/{path}"),
        lambda: add_topics(forum, 49, 1),
        expected,
    )


def test_api_replies_list_is_constant(forum, django_assert_num_queries):
    api = APIClient()
    api.force_login(forum.world.bob)
    topic = add_topics(forum, 1)[0]
    assert_constant(
        django_assert_num_queries,
        lambda: api.get(f"/api/v1/c/alpha/topics/{topic.pk}/replies/"),
        lambda: add_replies(forum, topic, 49, start=1),
        9,
    )
