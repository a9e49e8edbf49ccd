"""Forum API: spaces, topics, replies, reactions, accept, votes, subscriptions, notifications; errors are 4xx."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.tenancy import community_scope
from discussions.models import Notification, TopicKind
from discussions.services import replies, topics

pytestmark = pytest.mark.django_db
API = "/api/v1/c/alpha"


@pytest.fixture
def bob_api(forum):
    client = APIClient()
    client.force_login(forum.world.bob)
    return client


@pytest.fixture
def carol_api(forum):
    client = APIClient()
    client.force_login(forum.carol.user)
    return client


def _topic(forum, member=None, **kw):
    kw.setdefault("title", "API topic")
    kw.setdefault("body", "Body text")
    with community_scope(forum.a.pk):
        return topics.topic_create(community=forum.a, actor=forum.actor(member or forum.bob), space=forum.general, **kw)


def test_spaces_list_hides_private_groups_from_members(bob_api, forum):
    slugs = [s["slug"] for s in bob_api.get(f"{API}/spaces/").json()]
    assert slugs == ["general", "news"]


def test_create_topic_and_read_it_back(bob_api, forum):
    response = bob_api.post(
        f"{API}/topics/",
        {"space_id": forum.general.pk, "title": "From the API", "body": "Hello *there*", "tags": ["api"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["body_html"] == "<p>Hello <em>there</em></p>\n" and body["tags"] == ["api"]
    assert bob_api.get(f"{API}/topics/{body['id']}/").json()["title"] == "From the API"


def test_empty_title_is_a_400_with_a_message(bob_api, forum):
    response = bob_api.post(f"{API}/topics/", {"space_id": forum.general.pk, "title": "", "body": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "Give the topic a title.",
        "fields": {"title": ["Give the topic a title."]},
    }


def test_oversized_body_is_a_400(bob_api, forum):
    response = bob_api.post(
        f"{API}/topics/", {"space_id": forum.general.pk, "title": "t", "body": "x" * 20_001}, format="json"
    )
    assert response.status_code == 400 and "too long" in response.json()["error"]["message"]


def test_poll_with_one_option_is_a_400(bob_api, forum):
    response = bob_api.post(
        f"{API}/topics/",
        {"space_id": forum.general.pk, "title": "Poll", "body": "?", "kind": "poll", "poll_options": ["one"]},
        format="json",
    )
    assert response.status_code == 400 and response.json()["error"]["message"] == "A poll needs at least two options."


def test_posting_in_a_staff_only_space_is_a_403(bob_api, forum):
    response = bob_api.post(
        f"{API}/topics/", {"space_id": forum.staff_only.pk, "title": "t", "body": "b"}, format="json"
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_posting_in_a_hidden_space_is_a_404(bob_api, forum):
    response = bob_api.post(f"{API}/topics/", {"space_id": forum.private.pk, "title": "t", "body": "b"}, format="json")
    assert response.status_code == 404


def test_reply_in_a_locked_topic_is_a_403(carol_api, forum):
    topic = _topic(forum)
    with community_scope(forum.a.pk):
        topics.topic_moderate(community=forum.a, actor=forum.actor(forum.alice), topic=topic, locked=True)
    response = carol_api.post(f"{API}/topics/{topic.pk}/replies/", {"body": "hi"}, format="json")
    assert response.status_code == 403 and "locked" in response.json()["error"]["message"]


def test_replies_list_in_order_and_reply_to(carol_api, bob_api, forum):
    topic = _topic(forum)
    first = carol_api.post(f"{API}/topics/{topic.pk}/replies/", {"body": "one"}, format="json").json()
    second = bob_api.post(
        f"{API}/topics/{topic.pk}/replies/", {"body": "two", "reply_to_id": first["id"]}, format="json"
    )
    assert second.status_code == 201 and second.json()["reply_to_id"] == first["id"]
    listed = bob_api.get(f"{API}/topics/{topic.pk}/replies/").json()["results"]
    assert [r["body"] for r in listed] == ["one", "two"]


def test_accept_react_and_notifications_through_the_api(carol_api, bob_api, forum):
    topic = _topic(forum, kind=TopicKind.QUESTION)
    reply = carol_api.post(f"{API}/topics/{topic.pk}/replies/", {"body": "answer, @bob"}, format="json").json()
    accepted = bob_api.post(f"{API}/topics/{topic.pk}/accept/", {"reply_id": reply["id"]}, format="json")
    assert accepted.status_code == 200 and accepted.json()["accepted_reply_id"] == reply["id"]
    reacted = bob_api.post(f"{API}/replies/{reply['id']}/reactions/", {"emoji": "🎉"}, format="json")
    assert reacted.json() == {"emoji": "🎉", "reacted": True}
    kinds = {n["kind"] for n in carol_api.get(f"{API}/notifications/").json()["results"]}
    assert kinds == {"accepted", "reaction"}
    assert bob_api.get(f"{API}/notifications/").json()["results"][0]["kind"] == "mention"
    assert carol_api.post(f"{API}/notifications/read/", {}, format="json").json() == {"marked_read": 2}


@pytest.mark.parametrize("ids", [["x"], "1,2", [None], {"a": 1}, [1.5]])
def test_marking_notifications_read_with_bad_ids_is_400(carol_api, forum, ids):
    response = carol_api.post(f"{API}/notifications/read/", {"ids": ids}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert "ids" in response.json()["error"]["fields"]


def test_other_member_cannot_accept_through_the_api(carol_api, forum):
    topic = _topic(forum, kind=TopicKind.QUESTION)
    with community_scope(forum.a.pk):
        reply = replies.reply_create(community=forum.a, actor=forum.actor(forum.carol), topic=topic, body="a")
    response = carol_api.post(f"{API}/topics/{topic.pk}/accept/", {"reply_id": reply.pk}, format="json")
    assert response.status_code == 403


def test_poll_vote_and_closed_poll(carol_api, forum):
    topic = _topic(forum, kind=TopicKind.POLL, poll_options=["red", "blue"], poll_multiple=True)
    options = [o["id"] for o in carol_api.get(f"{API}/topics/{topic.pk}/").json()["poll"]["options"]]
    voted = carol_api.post(f"{API}/topics/{topic.pk}/vote/", {"option_ids": options}, format="json")
    assert voted.status_code == 200 and [o["votes"] for o in voted.json()["poll"]["options"]] == [1, 1]
    with community_scope(forum.a.pk):
        topic.poll.closes_at = timezone.now() - timedelta(seconds=1)
        topic.poll.save()
    closed = carol_api.post(f"{API}/topics/{topic.pk}/vote/", {"option_ids": options[:1]}, format="json")
    assert closed.status_code == 409 and closed.json()["error"]["message"] == "This poll is closed."


def test_topic_filters_and_search(bob_api, forum):
    _topic(forum, title="Kneading technique", body="Stretch and fold", tags=["technique"])
    _topic(forum, title="Question about flour", kind=TopicKind.QUESTION)
    assert [t["title"] for t in bob_api.get(f"{API}/topics/?kind=question").json()["results"]] == [
        "Question about flour"
    ]
    assert [t["title"] for t in bob_api.get(f"{API}/topics/?tag=technique").json()["results"]] == ["Kneading technique"]
    assert [t["title"] for t in bob_api.get(f"{API}/topics/?q=fold").json()["results"]] == ["Kneading technique"]
    hits = bob_api.get(f"{API}/topics/search/?q=kneading").json()["results"]
    assert hits[0]["topic"]["title"] == "Kneading technique" and hits[0]["kind"] == "topic"


def test_subscriptions_through_the_api(carol_api, forum):
    topic = _topic(forum)
    response = carol_api.post(f"{API}/subscriptions/", {"topic_id": topic.pk, "level": "muted"}, format="json")
    assert response.status_code == 201
    assert carol_api.get(f"{API}/subscriptions/").json()["results"][0]["level"] == "muted"
    with community_scope(forum.a.pk):
        replies.reply_create(community=forum.a, actor=forum.actor(forum.alice), topic=topic, body="x")
        assert not Notification.objects.for_community(forum.a).filter(recipient=forum.carol).exists()


def test_edit_and_soft_delete_reply_through_the_api(carol_api, bob_api, forum):
    topic = _topic(forum)
    reply = carol_api.post(f"{API}/topics/{topic.pk}/replies/", {"body": "typo"}, format="json").json()
    assert bob_api.patch(f"{API}/replies/{reply['id']}/", {"body": "hijack"}, format="json").status_code == 403
    edited = carol_api.patch(f"{API}/replies/{reply['id']}/", {"body": "fixed"}, format="json")
    assert edited.json()["body"] == "fixed" and edited.json()["edited_at"]
    assert carol_api.delete(f"{API}/replies/{reply['id']}/").status_code == 204
    assert carol_api.get(f"{API}/replies/{reply['id']}/").json()["deleted_at"]


def test_api_key_reads_and_posts_with_scopes(forum):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {forum.world.a_key}")
    _topic(forum, title="Visible to keys")
    assert client.get("/api/v1/topics/").json()["results"][0]["title"] == "Visible to keys"
    created = client.post(
        "/api/v1/topics/", {"space_id": forum.general.pk, "title": "Integrator", "body": "b"}, format="json"
    )
    assert created.status_code == 201 and created.json()["author"] is None
    assert client.get("/api/v1/notifications/").status_code == 403


def test_api_key_without_discussion_scope_is_refused(forum):
    from tests.factories import make_api_key

    _, key = make_api_key(forum.a, scopes=["members:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/topics/").status_code == 403


def test_moderate_split_and_merge_through_the_api(forum):
    admin = APIClient()
    admin.force_login(forum.world.alice)
    topic = _topic(forum)
    other = _topic(forum, title="Duplicate")
    with community_scope(forum.a.pk):
        reply = replies.reply_create(community=forum.a, actor=forum.actor(forum.carol), topic=topic, body="aside")
    pinned = admin.post(f"{API}/topics/{topic.pk}/moderate/", {"pin": "space", "locked": True}, format="json")
    assert pinned.json()["pin"] == "space" and pinned.json()["locked"] is True
    split = admin.post(f"{API}/topics/{topic.pk}/split/", {"title": "Aside", "reply_ids": [reply.pk]}, format="json")
    assert split.status_code == 201 and split.json()["body"] == "aside"
    merged = admin.post(f"{API}/topics/{other.pk}/moderate/", {"merge_into": topic.pk}, format="json")
    assert merged.json()["id"] == topic.pk and merged.json()["reply_count"] == 1
