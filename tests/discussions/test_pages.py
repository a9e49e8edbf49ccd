"""Forum pages end to end through the test client: reading, posting, errors, search, feeds, profile."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.tenancy import community_scope
from discussions.models import Draft, Reply, Topic, TopicKind
from discussions.services import replies, topics
from tests.discussions.conftest import make_space

pytestmark = pytest.mark.django_db


def _topic(forum, member=None, space=None, **kw):
    kw.setdefault("title", "How do I bake bread?")
    kw.setdefault("body", "I need help with sourdough starters.")
    with community_scope(forum.a.pk):
        return topics.topic_create(
            community=forum.a, actor=forum.actor(member or forum.bob), space=space or forum.general, **kw
        )


def _reply(forum, topic, member, body="A reply"):
    with community_scope(forum.a.pk):
        return replies.reply_create(community=forum.a, actor=forum.actor(member), topic=topic, body=body)


def test_anonymous_visitor_reads_a_public_topic(client, forum):
    topic = _topic(forum)
    response = client.get(f"/c/alpha/d/t/{topic.pk}/")
    assert response.status_code == 200
    assert b"How do I bake bread?" in response.content


def test_topic_page_has_canonical_and_opengraph_meta(client, forum):
    topic = _topic(forum)
    html = client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()
    assert f'<link rel="canonical" href="http://testserver/c/alpha/d/t/{topic.pk}/">' in html
    assert '<meta property="og:title" content="How do I bake bread?">' in html


def test_members_only_space_is_hidden_from_visitors(client, forum):
    space = make_space(forum.a, "members-lounge", visibility="members")
    topic = _topic(forum, space=space, title="Lounge talk")
    assert client.get(f"/c/alpha/d/t/{topic.pk}/").status_code == 404
    assert b"Lounge talk" not in client.get("/c/alpha/d/").content
    client.force_login(forum.world.bob)
    assert client.get(f"/c/alpha/d/t/{topic.pk}/").status_code == 200


def test_private_group_space_is_hidden_from_members_outside_the_group(client, forum):
    topic = _topic(forum, member=forum.alice, space=forum.private, title="Inner circle")
    client.force_login(forum.world.bob)
    assert client.get(f"/c/alpha/d/t/{topic.pk}/").status_code == 404
    assert client.get("/c/alpha/d/s/inner/").status_code == 404
    assert b"Inner circle" not in client.get("/c/alpha/d/").content


def test_group_members_read_the_group_space_everywhere_and_nobody_else_does(client, forum):
    from discussions.services import spaces

    topic = _topic(forum, member=forum.alice, space=forum.private, title="Inner circle")
    _reply(forum, topic, forum.alice, body="Inner reply about sourdough")
    with community_scope(forum.a.pk):
        spaces.space_group_add(
            community=forum.a, actor=forum.actor(forum.alice), space=forum.private, members=[forum.bob]
        )
    pages = ["/c/alpha/d/", "/c/alpha/", f"/c/alpha/d/t/{topic.pk}/", "/c/alpha/d/search/?q=sourdough",
             f"/c/alpha/d/members/{forum.alice.pk}/"]  # fmt: skip
    client.force_login(forum.world.bob)
    for url in pages:
        assert b"Inner circle" in client.get(url).content, url
    client.force_login(forum.carol.user)
    for url in pages[:2] + pages[3:]:
        assert b"Inner circle" not in client.get(url).content, url
    assert client.get(pages[2]).status_code == 404
    client.logout()
    for url in pages[:2] + pages[3:]:
        assert b"Inner circle" not in client.get(url).content, url


def test_community_home_shows_the_forum(client, forum):
    _topic(forum, title="Welcome thread")
    html = client.get("/c/alpha/").content.decode()
    assert "Welcome thread" in html and "Unanswered" in html and "General" in html


def test_member_starts_a_question_from_the_page(client, forum):
    client.force_login(forum.world.bob)
    response = client.post(
        "/c/alpha/d/s/general/new/",
        {
            "title": "Oven temperature?",
            "body": "What **temperature**?",
            "kind": "question",
            "tags": "baking, oven",
            "poll_results": "always",
        },
    )
    assert response.status_code == 302
    with community_scope(forum.a.pk):
        topic = Topic.objects.for_community(forum.a).get(title="Oven temperature?")
    assert response["Location"] == f"/c/alpha/d/t/{topic.pk}/"
    assert topic.kind == "question" and topic.tags == ["baking", "oven"]


def test_empty_title_shows_a_clear_error_on_the_page(client, forum):
    client.force_login(forum.world.bob)
    response = client.post(
        "/c/alpha/d/s/general/new/", {"title": "", "body": "x", "kind": "discussion", "poll_results": "always"}
    )
    assert response.status_code == 400
    assert b"Give the topic a title." in response.content


def test_poll_with_one_option_shows_an_error_on_the_page(client, forum):
    client.force_login(forum.world.bob)
    response = client.post(
        "/c/alpha/d/s/general/new/",
        {"title": "Poll", "body": "Vote", "kind": "poll", "poll_options": "Only one", "poll_results": "always"},
    )
    assert response.status_code == 400
    assert b"A poll needs at least two options." in response.content


def test_member_sees_a_refusal_for_a_staff_only_space(client, forum):
    client.force_login(forum.world.bob)
    response = client.get("/c/alpha/d/s/news/new/")
    assert response.status_code == 403
    assert b"You may not start topics in News." in response.content


def test_reply_in_a_locked_topic_shows_an_error(client, forum):
    topic = _topic(forum)
    with community_scope(forum.a.pk):
        topics.topic_moderate(community=forum.a, actor=forum.actor(forum.alice), topic=topic, locked=True)
    client.force_login(forum.world.bob)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/reply/", {"body": "hello"})
    assert response.status_code == 400
    assert b"This topic is locked: no new replies." in response.content


def test_vote_on_a_closed_poll_shows_an_error(client, forum):
    topic = _topic(forum, kind=TopicKind.POLL, poll_options=["a", "b"])
    with community_scope(forum.a.pk):
        topic.poll.closes_at = timezone.now() - timedelta(minutes=1)
        topic.poll.save()
        option = topic.poll.options.first()
    client.force_login(forum.world.bob)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/vote/", {"option": option.pk})
    assert response.status_code == 409
    assert b"This poll is closed." in response.content


def test_voting_with_htmx_swaps_only_the_poll(client, forum):
    topic = _topic(forum, kind=TopicKind.POLL, poll_options=["rye", "spelt"], poll_results="always")
    with community_scope(forum.a.pk):
        rye = topic.poll.options.order_by("pk").first()
    client.force_login(forum.world.bob)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/vote/", {"option": rye.pk}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="poll"') and "<html" not in html
    assert "rye ✓: <b>1</b>" in html and "Change vote" in html
    # a refused vote comes back inside the poll (htmx swaps only 2xx answers)
    html = client.post(f"/c/alpha/d/t/{topic.pk}/vote/", {"option": "x"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'role="alert">Choose an option.' in html


def test_reply_mention_accept_and_react_from_the_pages(client, forum):
    topic = _topic(forum, kind=TopicKind.QUESTION)
    client.force_login(forum.carol.user)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/reply/", {"body": "Feed it daily, @bob"})
    assert response.status_code == 302 and response["Location"].endswith("#r1")
    with community_scope(forum.a.pk):
        reply = Reply.objects.for_community(forum.a).get(topic=topic)
    client.force_login(forum.world.bob)
    assert client.post(f"/c/alpha/d/t/{topic.pk}/accept/", {"reply_id": reply.pk}).status_code == 302
    assert client.post(f"/c/alpha/d/t/{topic.pk}/react/", {"emoji": "👍", "reply_id": reply.pk}).status_code == 302
    html = client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()
    assert "Accepted answer" in html and "👍 1" in html
    assert 'href="/c/alpha/d/members/' in html  # the mention links to bob's profile
    bell = client.get("/c/alpha/d/notifications/").content.decode()
    assert "mentioned you" in bell


def test_reacting_with_htmx_swaps_only_the_reaction_bar(client, forum):
    topic = _topic(forum)
    client.force_login(forum.world.bob)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/react/", {"emoji": "🎉"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="reactions"')
    assert "🎉 1" in html and "<html" not in html
    # the same control toggles it back
    html = client.post(f"/c/alpha/d/t/{topic.pk}/react/", {"emoji": "🎉"}, HTTP_HX_REQUEST="true").content.decode()
    assert "🎉 1" not in html


def test_titles_and_bodies_are_escaped_on_pages(client, forum):
    topic = _topic(forum, title="<script>alert('t')</script>", body="<img src=x onerror=alert(1)> hi")
    html = client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()
    assert "<script>alert('t')</script>" not in html
    assert "onerror" not in html
    assert "&lt;script&gt;" in html


def test_unread_counts_follow_read_state(client, forum):
    topic = _topic(forum, title="Tracked topic")
    client.force_login(forum.world.bob)
    client.get(f"/c/alpha/d/t/{topic.pk}/")
    _reply(forum, topic, forum.carol)
    _reply(forum, topic, forum.alice)
    assert "2 unread" in client.get("/c/alpha/d/").content.decode()
    client.get(f"/c/alpha/d/t/{topic.pk}/")
    assert "unread" not in client.get("/c/alpha/d/").content.decode().split("<tbody>")[1]


def test_topic_pages_paginate_replies(client, forum):
    topic = _topic(forum)
    # Level 2 may post 10 replies a minute (moderation's rate limits): lift it for this busy topic.
    with community_scope(forum.a.pk):
        forum.a.settings = {**forum.a.settings, "moderation_limits": {"rate_limits": {"2": {"replies_per_minute": 50}}}}
        forum.a.save(update_fields=["settings"])
    for i in range(22):
        _reply(forum, topic, forum.carol, body=f"reply number {i}")
    first = client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()
    second = client.get(f"/c/alpha/d/t/{topic.pk}/?page=2").content.decode()
    assert 'id="r20"' in first and 'id="r21"' not in first
    assert 'id="r21"' in second and 'id="r22"' in second


def test_top_and_unanswered_lists(client, forum):
    busy = _topic(forum, title="Busy topic")
    _topic(forum, title="Open question", kind=TopicKind.QUESTION)
    _reply(forum, busy, forum.carol)
    top = client.get("/c/alpha/d/top/?period=week").content.decode()
    assert top.index("Busy topic") < top.index("Open question")
    unanswered = client.get("/c/alpha/d/unanswered/").content.decode()
    assert "Open question" in unanswered and "Busy topic" not in unanswered


def test_search_finds_topics_and_replies_with_highlighted_snippets(client, forum):
    topic = _topic(forum, title="Sourdough hydration", body="How much water for a sourdough loaf?")
    _reply(forum, topic, forum.carol, body="Use seventy percent hydration <b>always</b>")
    _topic(forum, title="Unrelated", body="Cats and dogs")
    html = client.get("/c/alpha/d/search/", {"q": "hydration"}).content.decode()
    assert "2 results" in html
    assert "<mark>hydration</mark>" in html
    assert "always" in html and "<b>always" not in html  # the reply's snippet is there, its markup escaped or dropped
    assert "Unrelated" not in html


def test_search_filters_by_type_and_solved(client, forum):
    _topic(forum, title="Bread question", kind=TopicKind.QUESTION)
    _topic(forum, title="Bread chat")
    html = client.get("/c/alpha/d/search/", {"q": "bread", "kind": "question", "solved": "no"}).content.decode()
    assert "Bread question" in html and "Bread chat" not in html


def test_search_never_shows_hidden_spaces(client, forum):
    _topic(forum, member=forum.alice, space=forum.private, title="Secret sourdough")
    client.force_login(forum.world.bob)
    assert "Secret sourdough" not in client.get("/c/alpha/d/search/", {"q": "sourdough"}).content.decode()


def test_member_profile_lists_topics_replies_and_join_date(client, forum):
    topic = _topic(forum, title="Bob's topic")
    _reply(forum, topic, forum.bob, body="Bob's reply")
    html = client.get(f"/c/alpha/d/members/{forum.bob.pk}/").content.decode()
    assert "Bob&#x27;s topic" in html and "Joined" in html


def test_rss_and_atom_feeds_list_public_topics(client, forum):
    _topic(forum, title="Feed me")
    members_space = make_space(forum.a, "lounge", visibility="members")
    _topic(forum, space=members_space, title="Not for feeds")
    rss = client.get("/c/alpha/d/feed/rss/")
    atom = client.get("/c/alpha/d/feed/atom/")
    assert rss["Content-Type"].startswith("application/rss+xml") and b"Feed me" in rss.content
    assert atom["Content-Type"].startswith("application/atom+xml") and b"Feed me" in atom.content
    assert b"Not for feeds" not in rss.content
    assert b"Feed me" in client.get("/c/alpha/d/s/general/feed/").content


def test_sitemap_lists_public_topics_only(client, forum):
    public = _topic(forum, title="Public")
    lounge = make_space(forum.a, "lounge", visibility="members")
    hidden = _topic(forum, space=lounge, title="Hidden")
    xml = client.get("/c/alpha/sitemap.xml").content.decode()
    assert f"/c/alpha/d/t/{public.pk}/" in xml and f"/c/alpha/d/t/{hidden.pk}/" not in xml


def test_draft_autosave_survives_a_reload(client, forum):
    client.force_login(forum.world.bob)
    response = client.post(
        "/c/alpha/d/drafts/",
        {"draft_key": f"topic:space:{forum.general.pk}", "title": "Half a title", "body": "Half a thought"},
    )
    assert response.status_code == 200
    html = client.get("/c/alpha/d/s/general/new/").content.decode()
    assert "Half a title" in html and "Half a thought" in html


def test_reply_draft_is_cleared_after_posting(client, forum):
    topic = _topic(forum)
    client.force_login(forum.world.bob)
    client.post("/c/alpha/d/drafts/", {"draft_key": f"reply:topic:{topic.pk}", "body": "Work in progress"})
    assert "Work in progress" in client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()
    client.post(f"/c/alpha/d/t/{topic.pk}/reply/", {"body": "Done"})
    with community_scope(forum.a.pk):
        assert not Draft.objects.for_community(forum.a).exists()


def test_moderator_pins_and_moves_from_the_page(client, forum):
    topic = _topic(forum)
    client.force_login(forum.world.alice)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/moderate/", {"pin": "global", "space": forum.staff_only.pk})
    assert response.status_code == 302
    with community_scope(forum.a.pk):
        topic = Topic.objects.for_community(forum.a).get(pk=topic.pk)
    assert (topic.pin, topic.space_id) == ("global", forum.staff_only.pk)


def test_member_cannot_moderate(client, forum):
    topic = _topic(forum)
    client.force_login(forum.world.bob)
    assert client.post(f"/c/alpha/d/t/{topic.pk}/moderate/", {"pin": "global"}).status_code == 403


def test_manager_creates_a_space(client, forum):
    client.force_login(forum.world.alice)
    response = client.post(
        "/c/alpha/d/spaces/new/",
        {
            "name": "Show and tell",
            "colour": "#112233",
            "visibility": "public",
            "start_policy": "members",
            "reply_policy": "members",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/c/alpha/d/s/show-and-tell/"


def test_topic_page_offers_a_jump_to_the_first_unread_reply(client, forum):
    topic = _topic(forum)
    _reply(forum, topic, forum.carol, body="seen")
    client.force_login(forum.world.bob)
    client.get(f"/c/alpha/d/t/{topic.pk}/")
    _reply(forum, topic, forum.carol, body="new one")
    html = client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()
    assert '<a href="#r2">Jump to first unread</a>' in html


def test_topic_page_lists_related_topics(client, forum):
    topic = _topic(forum, title="Rye bread", tags=["rye"])
    _topic(forum, title="More rye", tags=["rye"])
    assert "More rye" in client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode().split("Related topics")[1]


def test_related_topics_come_from_other_spaces_by_tag_but_never_from_hidden_ones(client, forum):
    topic = _topic(forum, title="Rye bread", tags=["rye"])
    _topic(forum, member=forum.alice, space=forum.staff_only, title="Rye news", tags=["rye"])
    _topic(forum, member=forum.alice, space=forum.staff_only, title="Oat news", tags=["oat"])
    _topic(forum, member=forum.alice, space=forum.private, title="Secret rye", tags=["rye"])
    related = client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode().split("Related topics")[1]
    assert "Rye news" in related
    assert "Oat news" not in related and "Secret rye" not in related


def test_author_edits_a_topic_and_history_is_kept(client, forum):
    from discussions.models import Revision

    topic = _topic(forum)
    client.force_login(forum.world.bob)
    response = client.post(f"/c/alpha/d/t/{topic.pk}/edit/", {"title": "Better title", "body": "Better body"})
    assert response.status_code == 302
    with community_scope(forum.a.pk):
        revision = Revision.objects.for_community(forum.a).get(topic=topic)
        assert revision.title_before == "How do I bake bread?" and "+Better body" in revision.diff
    assert "Better title" in client.get(f"/c/alpha/d/t/{topic.pk}/").content.decode()


def test_bookmarks_page_lists_bookmarked_topics(client, forum):
    topic = _topic(forum, title="Keep this")
    client.force_login(forum.world.bob)
    client.post(f"/c/alpha/d/t/{topic.pk}/bookmark/")
    assert "Keep this" in client.get("/c/alpha/d/bookmarks/").content.decode()
