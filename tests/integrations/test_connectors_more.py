"""Discord, Reddit, Discourse, YouTube, Mastodon, X and Telegram against respx-mocked platform endpoints."""

import hashlib
import hmac
import json
import logging
import time

import httpx
import pytest
import respx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from community.models import Activity
from community.tenancy import community_scope
from integrations.connectors import get_connector
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus, SyncRun
from integrations.services.sync import connection_sync

from .conftest import fixture_bytes, fixture_json, make_connection


def _activities(community):
    with community_scope(community.pk):
        return list(Activity.objects.for_community(community).order_by("occurred_at", "id"))


def _cursor(connection):
    with community_scope(connection.community_id):
        return ChannelConnection.objects.get(pk=connection.pk).sync_cursor


# ---- Discord

DISCORD_MESSAGES = "https://discord.com/api/v10/channels/1070000000000000000/messages"
DISCORD_THREAD = "https://discord.com/api/v10/channels/1098735111111111111/messages"


@respx.mock(assert_all_mocked=True)
def test_discord_poll_reads_messages_threads_reactions_and_joins(respx_mock, world):
    first = respx_mock.get(DISCORD_MESSAGES).mock(
        return_value=httpx.Response(200, json=fixture_json("discord/messages.json"))
    )
    respx_mock.get(DISCORD_THREAD).mock(
        return_value=httpx.Response(200, json=fixture_json("discord/thread_messages.json"))
    )
    connection = make_connection(world.a, "discord")
    assert connection_sync(community=world.a, connection_id=connection.pk).status == "succeeded"
    assert first.calls[0].request.url.params["after"] == "0"
    assert first.calls[0].request.headers["Authorization"] == "Bot MTA5ODc.discord-bot-token"
    activities = _activities(world.a)
    assert [(a.kind, a.external_id) for a in activities] == [
        ("message", "1098735000000000000"),
        ("join", "1098735400000000000"),
        ("reply", "1098735622548119602"),
        ("reply", "1098735999999999999"),
    ]  # the bot's digest is not a member's activity
    assert activities[2].parent_external_id == "1098735000000000000"
    assert activities[2].extra == {"reactions": 3}
    assert activities[3].parent_external_id == "1098735000000000000"  # a thread message belongs to its starter
    assert _cursor(connection)["channels"]["1070000000000000000"]["after"] == "1098735622548119602"


@respx.mock(assert_all_mocked=True)
def test_discord_second_poll_asks_after_the_newest_message(respx_mock, world):
    connection = make_connection(world.a, "discord")
    with community_scope(world.a.pk):
        ChannelConnection.objects.filter(pk=connection.pk).update(
            sync_cursor={"channels": {"1070000000000000000": {"after": "1098735622548119602"}}}
        )
    route = respx_mock.get(DISCORD_MESSAGES).mock(return_value=httpx.Response(200, json=[]))
    connection_sync(community=world.a, connection_id=connection.pk)
    assert route.calls[0].request.url.params["after"] == "1098735622548119602"


@respx.mock(assert_all_mocked=True)
def test_discord_429_with_retry_after_body_waits(respx_mock, world):
    respx_mock.get(DISCORD_MESSAGES).mock(
        return_value=httpx.Response(
            429, json={"message": "You are being rate limited.", "retry_after": 6.457, "global": False}
        )
    )
    connection = make_connection(world.a, "discord")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert (outcome.status, outcome.retry_in) == ("rate_limited", 6)


def _discord_signed(key: Ed25519PrivateKey, body: bytes, timestamp: str | None = None) -> dict:
    timestamp = timestamp or str(int(time.time()))
    return {
        "HTTP_X_SIGNATURE_ED25519": key.sign(timestamp.encode() + body).hex(),
        "HTTP_X_SIGNATURE_TIMESTAMP": timestamp,
    }


def _discord_with_key(world):
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    connection = make_connection(
        world.a, "discord", config={"channel_ids": "1070000000000000000", "public_key": public}
    )
    return key, connection


def test_discord_interactions_ping_is_answered_after_ed25519_verification(client, world):
    key, connection = _discord_with_key(world)
    body = fixture_bytes("discord/interaction_ping.json")
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", **_discord_signed(key, body)
    )
    assert response.status_code == 200 and response.json() == {"type": 1}


def test_discord_bad_ed25519_signature_is_401(client, world):
    _, connection = _discord_with_key(world)
    other = Ed25519PrivateKey.generate()
    body = fixture_bytes("discord/interaction_ping.json")
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", **_discord_signed(other, body)
    )
    assert response.status_code == 401


def test_discord_delivery_signed_long_ago_is_401(client, world):
    key, connection = _discord_with_key(world)
    body = fixture_bytes("discord/interaction_ping.json")
    signed = _discord_signed(key, body, timestamp=str(int(time.time()) - 3600))  # a valid signature, replayed later
    response = client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **signed)
    assert response.status_code == 401


def test_discord_slash_command_is_stored_and_skipped(client, world):
    key, connection = _discord_with_key(world)
    body = fixture_bytes("discord/interaction_command.json")
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", **_discord_signed(key, body)
    )
    assert response.status_code == 200
    with community_scope(world.a.pk):
        assert InboxEvent.objects.for_community(world.a).get().status == InboxStatus.SKIPPED


# ---- Reddit

REDDIT_TOKEN = "https://www.reddit.com/api/v1/access_token"


@respx.mock(assert_all_mocked=True)
def test_reddit_app_only_token_then_posts_comments_and_keyword_search(respx_mock, world):
    token = respx_mock.post(REDDIT_TOKEN).mock(return_value=httpx.Response(200, json=fixture_json("reddit/token.json")))
    new = respx_mock.get("https://oauth.reddit.com/r/selfhosted/new").mock(
        return_value=httpx.Response(200, json=fixture_json("reddit/new.json"))
    )
    respx_mock.get("https://oauth.reddit.com/r/selfhosted/comments").mock(
        return_value=httpx.Response(200, json=fixture_json("reddit/comments.json"))
    )
    search = respx_mock.get("https://oauth.reddit.com/search").mock(
        return_value=httpx.Response(200, json=fixture_json("reddit/empty.json"))
    )
    connection = make_connection(world.a, "reddit")
    assert connection_sync(community=world.a, connection_id=connection.pk).status == "succeeded"
    auth = token.calls[0].request.headers["Authorization"]
    assert auth.startswith("Basic ") and token.calls[0].request.content == b"grant_type=client_credentials"
    assert new.calls[0].request.headers["Authorization"].startswith("bearer eyJ")
    assert search.calls[0].request.url.params["q"] == "hearth"
    activities = _activities(world.a)
    assert [(a.kind, a.external_id) for a in activities] == [("post", "t3_1c2xl7b"), ("comment", "t1_kz0ab12")]
    assert activities[1].parent_external_id == "t3_1c2xl7b"
    assert _cursor(connection)["new:selfhosted"] == "t3_1c2xl7b"


@respx.mock(assert_all_mocked=True)
def test_reddit_bad_client_credentials_need_reauth(respx_mock, world):
    respx_mock.post(REDDIT_TOKEN).mock(return_value=httpx.Response(401, json={"message": "Unauthorized", "error": 401}))
    connection = make_connection(world.a, "reddit")
    connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NEEDS_REAUTH


# ---- Discourse


def _discourse_headers(secret, body, event, event_type, event_id="47"):
    return {
        "HTTP_X_DISCOURSE_INSTANCE": "https://forum.example.com",
        "HTTP_X_DISCOURSE_EVENT_ID": event_id,
        "HTTP_X_DISCOURSE_EVENT_TYPE": event_type,
        "HTTP_X_DISCOURSE_EVENT": event,
        "HTTP_X_DISCOURSE_EVENT_SIGNATURE": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
    }


def test_discourse_signed_topic_and_post_webhooks(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "discourse")
    with django_capture_on_commit_callbacks(execute=True):
        for name, event, event_type, event_id in (
            ("topic_created", "topic_created", "topic", "47"),
            ("post_created", "post_created", "post", "48"),
        ):
            body = fixture_bytes(f"discourse/{name}.json")
            headers = _discourse_headers(connection.webhook_secret, body, event, event_type, event_id)
            assert (
                client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers).status_code
                == 200
            )
    activities = _activities(world.a)
    assert [(a.kind, a.external_id) for a in activities] == [
        ("post", "forum.example.com:topic:312"),
        ("reply", "forum.example.com:post:1071"),
    ]
    assert activities[1].parent_external_id == "forum.example.com:topic:312"


def test_discourse_bad_signature_is_401(client, world):
    connection = make_connection(world.a, "discourse")
    body = fixture_bytes("discourse/post_created.json")
    headers = _discourse_headers("wrong", body, "post_created", "post")
    assert (
        client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers).status_code == 401
    )


@respx.mock(assert_all_mocked=True)
def test_discourse_posts_json_poll_links_first_posts_to_topics(respx_mock, world):
    route = respx_mock.get("https://forum.example.com/posts.json").mock(
        return_value=httpx.Response(200, json=fixture_json("discourse/posts.json"))
    )
    connection = make_connection(world.a, "discourse")
    connection_sync(community=world.a, connection_id=connection.pk)
    assert route.calls[0].request.headers["Api-Key"] == "discourse-key-0000"
    assert route.calls[0].request.headers["Api-Username"] == "system"
    assert sorted(a.external_id for a in _activities(world.a)) == [
        "forum.example.com:post:1071",
        "forum.example.com:topic:312",
    ]  # the small-action (post_type 3) is not an activity
    assert _cursor(connection)["last_id"] == 1071


# ---- YouTube

YOUTUBE = "https://www.googleapis.com/youtube/v3/commentThreads"


@respx.mock(assert_all_mocked=True)
def test_youtube_comment_threads_and_replies(respx_mock, world):
    route = respx_mock.get(YOUTUBE).mock(
        return_value=httpx.Response(200, json=fixture_json("youtube/comment_threads.json"))
    )
    connection = make_connection(world.a, "youtube")
    connection_sync(community=world.a, connection_id=connection.pk)
    params = route.calls[0].request.url.params
    assert params["allThreadsRelatedToChannelId"] == "UC_x5XG1OV2P6uZZ5FSM9Ttw" and params["key"] == "AIzaSy-test-key"
    activities = _activities(world.a)
    assert [(a.kind, a.parent_external_id) for a in activities] == [
        ("comment", ""),
        ("reply", "UgzDE2tasfmrYLyNkGt4AaABAg"),
    ]
    assert _cursor(connection)["newest"] == "2024-03-10T14:22:11Z"


@respx.mock(assert_all_mocked=True)
def test_youtube_quota_exceeded_waits_instead_of_reauth(respx_mock, world):
    respx_mock.get(YOUTUBE).mock(return_value=httpx.Response(403, json=fixture_json("youtube/quota_exceeded.json")))
    connection = make_connection(world.a, "youtube")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "rate_limited"
    with community_scope(world.a.pk):
        connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACTIVE


# ---- Mastodon


@respx.mock(assert_all_mocked=True)
def test_mastodon_hashtag_and_mentions(respx_mock, world):
    tag = respx_mock.get("https://mastodon.social/api/v1/timelines/tag/hearth").mock(
        return_value=httpx.Response(200, json=fixture_json("mastodon/tag_timeline.json"))
    )
    mentions = respx_mock.get("https://mastodon.social/api/v1/notifications").mock(
        return_value=httpx.Response(200, json=[])
    )
    connection = make_connection(world.a, "mastodon")
    connection_sync(community=world.a, connection_id=connection.pk)
    assert mentions.calls[0].request.url.params["types[]"] == "mention"
    activities = _activities(world.a)
    assert [(a.kind, a.external_id) for a in activities] == [
        ("reply", "https://fosstodon.org/users/alice/statuses/109000000000000001"),
        ("post", "https://mastodon.social/users/Gargron/statuses/103270115826048975"),
    ]
    assert _cursor(connection)["tag"] == "103270115826048975"
    connection_sync(community=world.a, connection_id=connection.pk)
    assert tag.calls[1].request.url.params["min_id"] == "103270115826048975"


# ---- X

X_SEARCH = "https://api.twitter.com/2/tweets/search/recent"


@respx.mock(assert_all_mocked=True)
def test_x_recent_search_with_users_expansion(respx_mock, world):
    route = respx_mock.get(X_SEARCH).mock(return_value=httpx.Response(200, json=fixture_json("x/recent_search.json")))
    connection = make_connection(world.a, "x")
    connection_sync(community=world.a, connection_id=connection.pk)
    assert route.calls[0].request.headers["Authorization"] == "Bearer AAAA-x-bearer-token"
    assert route.calls[0].request.url.params["expansions"] == "author_id"
    activities = _activities(world.a)
    assert [(a.kind, a.external_id, a.parent_external_id) for a in activities] == [
        ("post", "1460323737035677698", ""),
        ("reply", "1460323737035677700", "1460323737035677698"),
    ]
    assert _cursor(connection)["since_id"] == "1460323737035677700"


@respx.mock(assert_all_mocked=True)
def test_x_429_waits_until_the_reset(respx_mock, world):
    from django.utils import timezone

    reset = int(timezone.now().timestamp()) + 300
    respx_mock.get(X_SEARCH).mock(
        return_value=httpx.Response(
            429,
            json=fixture_json("x/rate_limited.json"),
            headers={"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
        )
    )
    connection = make_connection(world.a, "x")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "rate_limited" and 280 <= outcome.retry_in <= 300


# ---- Telegram

TELEGRAM_UPDATES = "https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/getUpdates"


def test_telegram_webhook_with_secret_token(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "telegram")
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("update_message", "update_reply", "update_new_members"):
            body = fixture_bytes(f"telegram/{name}.json")
            response = client.post(
                f"/hooks/{connection.uuid}/",
                body,
                content_type="application/json",
                HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=connection.webhook_secret,
            )
            assert response.status_code == 200
    activities = _activities(world.a)
    assert [(a.kind, a.external_id) for a in activities] == [
        ("message", "-1001234567890:1365"),
        ("reply", "-1001234567890:1366"),
        ("join", "-1001234567890:1367:join:3333333"),
    ]


def test_telegram_wrong_secret_token_is_401(client, world):
    connection = make_connection(world.a, "telegram")
    body = fixture_bytes("telegram/update_message.json")
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="nope"
    )
    assert response.status_code == 401


def test_telegram_edited_message_is_stored_and_skipped(client, world):
    connection = make_connection(world.a, "telegram")
    body = fixture_bytes("telegram/update_edited.json")
    client.post(
        f"/hooks/{connection.uuid}/",
        body,
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=connection.webhook_secret,
    )
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
    assert (event.status, event.event_type) == (InboxStatus.SKIPPED, "edited_message")


@respx.mock(assert_all_mocked=True)
def test_telegram_get_updates_confirms_with_offset_and_keeps_the_token_out_of_logs(respx_mock, world, caplog):
    route = respx_mock.get(TELEGRAM_UPDATES).mock(
        return_value=httpx.Response(200, json=fixture_json("telegram/get_updates.json"))
    )
    connection = make_connection(world.a, "telegram")
    with caplog.at_level(logging.DEBUG):
        connection_sync(community=world.a, connection_id=connection.pk)
        connection_sync(community=world.a, connection_id=connection.pk)
    assert route.calls[1].request.url.params["offset"] == "10003"
    assert "ABC-DEF1234ghIkl" not in caplog.text
    assert len(_activities(world.a)) == 3


@respx.mock(assert_all_mocked=True)
def test_telegram_revoked_token_needs_reauth(respx_mock, world):
    respx_mock.get(TELEGRAM_UPDATES).mock(
        return_value=httpx.Response(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"})
    )
    connection = make_connection(world.a, "telegram")
    connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        connection.refresh_from_db()
    assert connection.status == ConnectionStatus.NEEDS_REAUTH


@pytest.mark.parametrize(
    "kind",
    ["github", "slack", "discord", "reddit", "discourse", "youtube", "rss", "mastodon", "x", "telegram", "generic"],
)
def test_every_kind_can_be_connected(world, kind):
    connection = make_connection(world.a, kind)
    assert connection.kind == kind
    assert get_connector(kind).label
    json.dumps(connection.masked_credentials)
    with community_scope(world.a.pk):
        assert SyncRun.objects.for_community(world.a).count() == 0


def test_replayed_telegram_update_and_discourse_event_are_not_stored_twice(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    telegram = make_connection(world.a, "telegram")
    discourse = make_connection(world.a, "discourse")
    update = fixture_bytes("telegram/update_message.json")
    topic = fixture_bytes("discourse/topic_created.json")
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            answers.append(
                client.post(
                    f"/hooks/{telegram.uuid}/",
                    update,
                    content_type="application/json",
                    HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=telegram.webhook_secret,
                ).json()
            )
            headers = _discourse_headers(discourse.webhook_secret, topic, "topic_created", "topic")
            answers.append(
                client.post(f"/hooks/{discourse.uuid}/", topic, content_type="application/json", **headers).json()
            )
    assert [answer.get("duplicate", False) for answer in answers] == [False, False, True, True, True, True]
    with community_scope(world.a.pk):
        assert InboxEvent.objects.for_community(world.a).count() == 2
        assert Activity.objects.for_community(world.a).count() == 2
