"""The anonymous page cache (community/page_cache.py): served while fresh, forgotten on every write, never personal."""

import pytest
from django.test import Client
from django.utils import timezone

from community.page_cache import HEADER, public_pages_changed
from community.policy import Actor
from community.services import communities as community_services
from community.services import profiles
from community.tenancy import community_scope
from discussions.services import replies as reply_services
from discussions.services import topics as topic_services
from tests.factories import owner_of

from .test_query_counts import add_replies, add_topics

pytestmark = pytest.mark.django_db


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.fixture
def topic(forum):
    return add_topics(forum, 1)[0]


def test_second_anonymous_read_is_served_from_the_cache(client, forum, topic):
    url = f"/c/alpha/d/t/{topic.pk}/"
    first, second = _get(client, url), _get(client, url)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert first.content == second.content
    assert second["Content-Type"].startswith("text/html")
    assert "Cookie" in second["Vary"]  # a shared proxy must not hand the anonymous copy to a signed-in reader


@pytest.mark.parametrize("url", ["/c/alpha/", "/c/alpha/d/", "/c/alpha/d/s/general/", "/c/alpha/d/search/?q=Topic"])
def test_every_public_read_page_is_cached(client, forum, topic, url):
    assert _get(client, url)[HEADER] == "miss"
    assert _get(client, url)[HEADER] == "hit"


def test_a_hit_costs_the_same_few_queries_with_1_or_50_replies(
    client, forum, topic, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = f"/c/alpha/d/t/{topic.pk}/"
    _get(client, url)
    # The request's transaction (2), the community row, the scope's set_config in and out: the page is Redis's.
    with django_assert_num_queries(5):
        assert _get(client, url)[HEADER] == "hit"
    add_replies(forum, topic, 49, start=1)  # written straight to the tables: forget the pages by hand
    with django_capture_on_commit_callbacks(execute=True):
        public_pages_changed(forum.a.pk)
    assert _get(client, url)[HEADER] == "miss"
    with django_assert_num_queries(5):
        assert _get(client, url)[HEADER] == "hit"


def test_a_new_reply_is_seen_at_once(client, forum, topic, django_capture_on_commit_callbacks):
    url = f"/c/alpha/d/t/{topic.pk}/"
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=True), community_scope(forum.a.pk):
        reply_services.reply_create(
            community=forum.a, actor=forum.actor(forum.bob), topic=topic, body="A fresh answer about caching"
        )
    page = _get(client, url)
    assert page[HEADER] == "miss"
    assert b"A fresh answer about caching" in page.content


def test_moderation_and_renames_are_seen_at_once(client, forum, topic, django_capture_on_commit_callbacks):
    url = "/c/alpha/d/"
    assert b"Topic 0" in _get(client, url).content
    with django_capture_on_commit_callbacks(execute=True), community_scope(forum.a.pk):
        topic_services.topic_delete(community=forum.a, actor=forum.actor(forum.alice), topic=topic)
    assert b"Topic 0" not in _get(client, url).content

    profile_url = f"/c/alpha/d/members/{forum.bob.pk}/"
    assert b"Robert Renamed" not in _get(client, profile_url).content
    with django_capture_on_commit_callbacks(execute=True), community_scope(forum.a.pk):
        profiles.member_profile_update(
            community=forum.a, actor=forum.actor(forum.alice), member=forum.bob, display_name="Robert Renamed"
        )
    assert b"Robert Renamed" in _get(client, profile_url).content


def test_a_write_that_rolls_back_keeps_the_cache(client, forum, topic, django_capture_on_commit_callbacks):
    url = f"/c/alpha/d/t/{topic.pk}/"
    _get(client, url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, community_scope(forum.a.pk):
        reply_services.reply_create(community=forum.a, actor=forum.actor(forum.bob), topic=topic, body="Never kept")
    assert len(callbacks) >= 1  # the bump waits for a commit that, here, never comes
    assert _get(client, url)[HEADER] == "hit"


def test_signed_in_readers_never_share_pages(client, forum, topic):
    url = f"/c/alpha/d/t/{topic.pk}/"
    _get(client, url)
    _get(client, url)  # cached for anonymous readers now
    client.force_login(forum.world.bob)
    mine = _get(client, url)
    assert HEADER not in mine
    assert forum.world.bob.email.encode() in mine.content  # their own header, not the anonymous one
    assert b"X-CSRFToken" in mine.content


def test_anonymous_pages_carry_no_csrf_token_and_set_no_cookie(client, forum, topic):
    response = _get(client, f"/c/alpha/d/t/{topic.pk}/")
    assert b"csrfmiddlewaretoken" not in response.content and b"X-CSRFToken" not in response.content
    assert not response.cookies


def test_a_visitor_with_a_session_or_messages_is_not_served_the_shared_page(client, forum, topic):
    url = f"/c/alpha/d/t/{topic.pk}/"
    _get(client, url)
    assert _get(client, url)[HEADER] == "hit"
    with_messages = Client()
    with_messages.cookies["messages"] = "x"
    assert HEADER not in _get(with_messages, url)
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    assert HEADER not in _get(with_session, url)


def test_private_communities_are_never_cached(client, forum, topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), community_scope(forum.a.pk):
        owner = owner_of(forum.a)
        actor = Actor(community=forum.a, user_id=owner.user_id, member=owner)
        community_services.community_update(community=forum.a, actor=actor, visibility="private")
    client.force_login(forum.world.bob)
    url = f"/c/alpha/d/t/{topic.pk}/"
    assert HEADER not in _get(client, url)
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, never the stored copy


def test_pages_are_cached_per_host(client, forum, topic, settings):
    """The same topic on the community's own domain is another page (its canonical link names that host)."""
    settings.ALLOWED_HOSTS = ["forum.alpha.example", "testserver"]
    forum.a.domain = "forum.alpha.example"
    forum.a.domain_verified_at = timezone.now()
    forum.a.save()
    url = f"/c/alpha/d/t/{topic.pk}/"
    _get(client, url)
    assert _get(client, url)[HEADER] == "hit"
    on_domain = Client(HTTP_HOST="forum.alpha.example")
    first = _get(on_domain, f"/d/t/{topic.pk}/")
    assert first[HEADER] == "miss"
    assert b"http://forum.alpha.example/" in first.content
    assert _get(on_domain, f"/d/t/{topic.pk}/")[HEADER] == "hit"


def test_another_communitys_page_at_the_same_path_is_never_served(client, forum, topic):
    from discussions.models import Topic

    _get(client, f"/c/alpha/d/t/{topic.pk}/")
    with community_scope(forum.b.pk):
        b_topic = Topic.objects.create(
            community=forum.b, space=forum.b_space, title="Bravo only", body="b", body_html="<p>b</p>",
            last_posted_at=topic.last_posted_at,
        )  # fmt: skip
    response = _get(client, f"/c/bravo/d/t/{b_topic.pk}/")
    assert response[HEADER] == "miss" and b"Bravo only" in response.content and b"Topic 0" not in response.content


def test_the_cache_can_be_turned_off(client, forum, topic, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = f"/c/alpha/d/t/{topic.pk}/"
    assert HEADER not in _get(client, url) and HEADER not in _get(client, url)
