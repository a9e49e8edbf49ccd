"""Watched words: matching (case, accents, spacing, leetspeak), regex validation, each action on forum posts through
pages and API (create and edit), channel activities, the cache, the tester and the API."""

import pytest
from rest_framework.test import APIClient

from community.errors import ServiceError
from community.models import Activity
from community.tenancy import community_scope
from discussions.models import Reply, Topic
from discussions.services import replies, topics
from moderation.models import ItemStatus, QueueItem, WatchedWord
from moderation.rules import words
from moderation.rules.cache import rules_for
from moderation.services.queue import queue_item_act
from moderation.services.screening import activities_screen
from moderation.services.watched_words import watched_word_create
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db


def _create(m, pattern, action, kind="word", message=""):
    return watched_word_create(
        community=m.a, actor=m.actor(m.alice), pattern=pattern, action=action, kind=kind, message=message
    )


def _watch(m, pattern, action, kind="word", message=""):
    with community_scope(m.a.pk):
        return _create(m, pattern, action, kind, message)


def _matches(pattern, text, kind="word"):
    rule = words.Rule(1, pattern, kind, "flag", "")
    return [match.text for match in words.find([rule], {"body": text})]


@pytest.mark.parametrize(
    "text",
    ["that is BAD", "that is bád", "b a d", "b.a.d", "b4d", "8ad", "baaad", "ⓑⓐⓓ"],
)
def test_case_accents_spacing_and_leetspeak_are_caught(text):
    assert _matches("bad", text)


@pytest.mark.parametrize("text", ["badge", "abad", "a bath day", "bed"])
def test_other_words_are_not_caught(text):
    assert not _matches("bad", text)


def test_leet_for_i_and_l_and_the_other_substitutions():
    assert _matches("idiot", "1d10t") and _matches("loser", "l0$3r") and _matches("loser", "10s3r")
    assert _matches("toast", "7045+") and _matches("scam", "$c@m") and _matches("spam", "5 p 4 m")


def test_phrases_wildcards_and_regexes():
    assert _matches("buy now", "BUY-NOW!") and _matches("buy now", "buy   n0w")
    assert _matches("scam*", "scammers everywhere") and not _matches("scam", "scammers")
    assert not _matches("refund", "Refunds?") and _matches("refund*", "Refunds?")
    assert _matches(r"cheap\s+watch\w*", "Cheap  Wátches", kind="regex")


def test_a_regex_that_does_not_compile_is_refused_with_the_reason(mod):
    with community_scope(mod.a.pk), pytest.raises(ServiceError, match="does not compile: missing \\)"):
        _create(mod, "(unclosed", "flag", kind="regex")


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"(a|aa)+$", r"(x+x+)+$", r"(\w+\s?)+$"])
def test_a_catastrophic_regex_is_refused(mod, pattern):
    with community_scope(mod.a.pk):
        with pytest.raises(ServiceError, match="catastrophic backtracking"):
            _create(mod, pattern, "flag", kind="regex")
        assert not WatchedWord.objects.for_community(mod.a).exists()


def test_a_regex_matching_empty_text_is_refused(mod):
    with community_scope(mod.a.pk), pytest.raises(ServiceError, match="matches empty text"):
        _create(mod, "x*", "flag", kind="regex")


def test_matching_runs_with_a_time_limit(monkeypatch):
    monkeypatch.setattr(words, "MATCH_TIMEOUT", 0.001)
    rule = words.Rule(1, r"(a|aa)+$", "regex", "block", "")  # stored before validation existed
    assert words.find([rule], {"body": "a" * 5000 + "!"}) == []  # skipped, not hung


def test_block_refuses_the_post_with_the_message_through_the_page(mod, client):
    _watch(mod, "darn", "block", message="Please keep it civil.")
    client.force_login(mod.bob.user)
    page = client.post(
        f"/c/{mod.a.slug}/d/s/general/new/",
        {"title": "Hi", "body": "well d4rn it", "kind": "discussion", "poll_results": "always"},
    )
    assert page.status_code == 400 and "Please keep it civil." in page.content.decode()
    with community_scope(mod.a.pk):
        assert not Topic.objects.for_community(mod.a).filter(title="Hi").exists()


def test_block_refuses_the_post_with_the_message_through_the_api(mod):
    _watch(mod, "darn", "block", message="Please keep it civil.")
    api = APIClient()
    api.force_login(mod.bob.user)
    response = api.post(
        f"/api/v1/c/{mod.a.slug}/topics/", {"space_id": mod.general.pk, "title": "D A R N", "body": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid", "message": "Please keep it civil.", "fields": {"body": ["Please keep it civil."]}
    }  # fmt: skip


def test_hold_stores_the_post_hidden_with_a_queue_item_and_approval_shows_it(mod, client):
    _watch(mod, "crypto", "hold")
    client.force_login(mod.bob.user)
    page = client.post(
        f"/c/{mod.a.slug}/d/s/general/new/",
        {"title": "Gains", "body": "Try CRYPT0 now", "kind": "discussion", "poll_results": "always"},
    )
    assert page.status_code == 302
    assert "waiting for a moderator" in client.get(page["Location"]).content.decode()
    with community_scope(mod.a.pk):
        topic = Topic.objects.for_community(mod.a).get(title="Gains")
        item = QueueItem.objects.for_community(mod.a).get(subject_kind="topic", subject_id=topic.pk)
    assert topic.deleted_at is not None and item.content_hidden and item.source == "watched_word"
    assert item.reasons == ["watched word: crypto"] and item.status == ItemStatus.OPEN
    client.logout()
    assert client.get(f"/c/{mod.a.slug}/d/t/{topic.pk}/").status_code == 404
    assert "Gains" not in client.get(f"/c/{mod.a.slug}/d/").content.decode()
    with community_scope(mod.a.pk):
        queue_item_act(community=mod.a, actor=mod.actor(mod.mia), item=item, action="approve")
    assert client.get(f"/c/{mod.a.slug}/d/t/{topic.pk}/").status_code == 200


def test_flag_publishes_and_opens_a_queue_item(mod):
    _watch(mod, "refund", "flag")
    with community_scope(mod.a.pk):
        reply = replies.reply_create(community=mod.a, actor=mod.actor(mod.bob), topic=mod.topic, body="Need a refund?")
        item = QueueItem.objects.for_community(mod.a).get(subject_kind="reply", subject_id=reply.pk)
    assert reply.deleted_at is None and not item.content_hidden and item.reasons == ["watched word: refund"]


def test_censor_stores_asterisks_in_the_rendered_body_and_the_title(mod):
    _watch(mod, "heck", "censor")
    with community_scope(mod.a.pk):
        topic = topics.topic_create(
            community=mod.a,
            actor=mod.actor(mod.bob),
            space=mod.general,
            title="What the h3ck",
            body="oh **h e c k** yes",
        )
        stored = Topic.objects.for_community(mod.a).get(pk=topic.pk)
    assert stored.title == "What the ****"
    assert "h e c k" not in stored.body_html and "<strong>* * * *</strong>" in stored.body_html
    assert "heck" not in stored.body and not QueueItem.objects.filter(subject_id=topic.pk).exists()


def test_an_edit_is_checked_again(mod, client):
    _watch(mod, "darn", "block", message="Not that word.")
    _watch(mod, "crypto", "hold")
    with community_scope(mod.a.pk):
        reply = replies.reply_create(community=mod.a, actor=mod.actor(mod.bob), topic=mod.topic, body="Fine words")
    client.force_login(mod.bob.user)
    page = client.post(f"/c/{mod.a.slug}/d/r/{reply.pk}/edit/", {"body": "darn"})
    assert page.status_code == 400 and "Not that word." in page.content.decode()
    with community_scope(mod.a.pk):
        assert Reply.objects.for_community(mod.a).get(pk=reply.pk).body == "Fine words"
        topics.topic_update(community=mod.a, actor=mod.actor(mod.bob), topic=mod.topic, body="c r y p t o")
        assert Topic.objects.for_community(mod.a).get(pk=mod.topic.pk).deleted_at is not None
        assert QueueItem.objects.for_community(mod.a).get(subject_id=mod.topic.pk, subject_kind="topic").content_hidden


def test_staff_are_held_to_the_watched_words_too(mod):
    _watch(mod, "darn", "block")
    with community_scope(mod.a.pk), pytest.raises(ServiceError):
        replies.reply_create(community=mod.a, actor=mod.actor(mod.mia), topic=mod.topic, body="darn")


def test_channel_activities_are_held_or_flagged_with_a_queue_item(mod):
    _watch(mod, "crypto", "hold")
    _watch(mod, "refund", "flag")
    with community_scope(mod.a.pk):
        rows = Activity.objects.bulk_create([
            Activity(community=mod.a, member=mod.bob, kind="message", channel="discord", source="discord",
                     external_id=f"m{i}", occurred_at=mod.topic.created_at, body=body)
            for i, body in enumerate(["buy crypt0", "I want a r3fund", "hello all"])
        ])  # fmt: skip
        assert activities_screen(community=mod.a, activity_ids=[r.pk for r in rows]) == 3
        status = dict(
            Activity.objects.for_community(mod.a)
            .filter(pk__in=[r.pk for r in rows])
            .values_list("external_id", "moderation_status")
        )
        items = list(
            QueueItem.objects.for_community(mod.a).filter(subject_kind="activity").values_list("subject_id", "source")
        )
    assert status == {"m0": "held", "m1": "flagged", "m2": "published"}
    assert sorted(items) == sorted([(rows[0].pk, "watched_word"), (rows[1].pk, "watched_word")])


def test_posting_reads_the_watched_words_once_then_from_the_cache(mod, django_assert_num_queries):
    _watch(mod, "darn", "block")
    with community_scope(mod.a.pk):
        with django_assert_num_queries(1):
            first = rules_for(mod.a)
        with django_assert_num_queries(0):
            assert rules_for(mod.a) == first and first[0].pattern == "darn"
        _create(mod, "heck", "censor")  # a change forgets the cached list
        assert [r.pattern for r in rules_for(mod.a)] == ["darn", "heck"]


def test_the_tester_on_the_rules_page_shows_matches_and_the_action(mod, client):
    _watch(mod, "darn", "block", message="Keep it civil.")
    _watch(mod, "heck", "censor")
    client.force_login(mod.mia.user)
    page = client.post(f"/c/{mod.a.slug}/manage/moderation/rules/", {"do": "test", "text": "D-A-R-N and h3ck"})
    body = page.content.decode()
    assert page.status_code == 200 and "Action that would apply: block" in body and "Keep it civil." in body
    assert "“D-A-R-N” matches word <code>darn</code>" in body and "h3ck" in body


def test_managers_add_and_remove_watched_words_on_the_page_moderators_only_read(mod, client):
    url = f"/c/{mod.a.slug}/manage/moderation/rules/"
    client.force_login(mod.mia.user)  # a moderator: reads and tests, cannot change
    assert client.get(url).status_code == 200
    assert client.post(url, {"do": "add", "pattern": "darn", "action": "block"}).status_code == 400
    client.force_login(mod.alice.user)
    client.post(url, {"do": "add", "pattern": "darn", "kind": "word", "action": "block"})
    with community_scope(mod.a.pk):
        word = WatchedWord.objects.for_community(mod.a).get()
    client.post(url, {"do": "remove", "word_id": word.pk})  # no confirmation: kept
    with community_scope(mod.a.pk):
        assert WatchedWord.objects.for_community(mod.a).exists()
    client.post(url, {"do": "remove", "word_id": word.pk, "confirm": "yes"})
    with community_scope(mod.a.pk):
        assert not WatchedWord.objects.for_community(mod.a).exists()
    page = client.post(url, {"do": "add", "pattern": "(a+)+$", "kind": "regex", "action": "flag"})
    assert page.status_code == 400 and "catastrophic backtracking" in page.content.decode()


def _key(m, scopes):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(m.a, scopes=scopes)[1]}")
    return api


def test_watched_words_api_create_update_delete_and_test(mod):
    api = _key(mod, ["moderation:write"])
    base = "/api/v1/moderation/watched-words/"
    created = api.post(base, {"pattern": "darn", "action": "block", "message": "Civil, please."}, format="json")
    assert created.status_code == 201 and created.json()["kind"] == "word"
    pk = created.json()["id"]
    changed = api.patch(f"{base}{pk}/", {"action": "censor"}, format="json")
    assert changed.status_code == 200 and changed.json()["action"] == "censor"
    tested = api.post(f"{base}test/", {"text": "oh d4rn"}, format="json").json()
    assert tested["action"] == "censor" and tested["censored"] == "oh ****" and tested["matches"][0]["text"] == "d4rn"
    bad = api.post(base, {"pattern": "(a|aa)+$", "kind": "regex", "action": "flag"}, format="json")
    assert bad.status_code == 400 and "catastrophic" in bad.json()["error"]["message"]
    assert bad.json()["error"]["fields"] == {"pattern": [bad.json()["error"]["message"]]}
    duplicate = api.post(base, {"pattern": "darn", "action": "flag"}, format="json")
    assert duplicate.status_code == 409
    assert api.delete(f"{base}{pk}/").status_code == 204
    assert api.get(base).json()["results"] == []


def test_watched_words_api_scopes(mod):
    _watch(mod, "darn", "block")
    reader = _key(mod, ["moderation:read"])
    assert reader.get("/api/v1/moderation/watched-words/").status_code == 200
    assert reader.post("/api/v1/moderation/watched-words/test/", {"text": "darn"}, format="json").status_code == 200
    refused = reader.post("/api/v1/moderation/watched-words/", {"pattern": "x", "action": "flag"}, format="json")
    assert refused.status_code == 403
    assert _key(mod, ["members:read"]).get("/api/v1/moderation/watched-words/").status_code == 403


@pytest.mark.parametrize("rows", [1, 30])
def test_watched_words_list_is_constant_queries(mod, rows, django_assert_num_queries):
    with community_scope(mod.a.pk):
        WatchedWord.objects.bulk_create(
            [WatchedWord(community=mod.a, pattern=f"w{i}", action="flag") for i in range(rows)]
        )
    api = _key(mod, ["moderation:read"])
    api.get("/api/v1/moderation/watched-words/")  # warm the key lookup's caches alike for both sizes
    with django_assert_num_queries(8):  # key, scope, policy and page queries: the same for 1 and 30 rows
        assert len(api.get("/api/v1/moderation/watched-words/").json()["results"]) == rows


def test_a_held_post_through_the_api_is_a_202_saying_so(mod):
    _watch(mod, "crypto", "hold")
    api = APIClient()
    api.force_login(mod.bob.user)
    topic = api.post(f"/api/v1/c/{mod.a.slug}/topics/", {"space_id": mod.general.pk, "title": "Gains",
                                                        "body": "crypto"}, format="json")  # fmt: skip
    reply = api.post(f"/api/v1/c/{mod.a.slug}/topics/{mod.topic.pk}/replies/", {"body": "cr y pto"}, format="json")
    assert (
        topic.status_code == 202
        and topic.json()["held"] is True
        and "waiting for a moderator" in topic.json()["message"]
    )
    assert reply.status_code == 202 and reply.json()["held"] is True
    with community_scope(mod.a.pk):
        assert Topic.objects.for_community(mod.a).get(pk=topic.json()["id"]).deleted_at is not None
        assert (
            QueueItem.objects.for_community(mod.a).filter(subject_kind="reply", subject_id=reply.json()["id"]).exists()
        )
