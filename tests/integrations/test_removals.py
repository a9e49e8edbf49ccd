"""Removing ingested content on its platform (issue 15): once per activity, even when the task is re-delivered or
retried, in each platform's documented request shape; content already gone counts as removed."""

from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.utils import timezone

from community.models import Activity, Role
from community.policy import Actor
from community.tenancy import community_scope
from integrations.models import ChannelRemoval, RemovalStatus
from integrations.services.removals import channel_removal_request
from integrations.tasks import remove_channel_content_task
from moderation.services.queue import queue_item_act, queue_item_open
from tests.factories import add_member, make_user
from tests.integrations.conftest import make_connection, owner_actor

SLACK_DELETE = "https://slack.com/api/chat.delete"


def _activity(world, connection, *, external_id, kind="message", url="", parent=""):
    with community_scope(world.a.pk):
        return Activity.objects.create(
            community=world.a, kind=kind, channel=connection.kind, source=connection.kind,
            connection_id=connection.pk, external_id=external_id, parent_external_id=parent, url=url,
            occurred_at=timezone.now(), body="Buy followers now",
        )  # fmt: skip


def _request_and_run(world, activity, django_capture_on_commit_callbacks, runs=1):
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=False) as sent:
        removal = channel_removal_request(community=world.a, actor=owner_actor(world.a), activity=activity)
    for _ in range(runs):
        remove_channel_content_task.apply(args=(world.a.pk, removal.pk))
    with community_scope(world.a.pk):
        removal.refresh_from_db()
    return removal, sent


@pytest.fixture
def slack(world):
    connection = make_connection(world.a, "slack")
    return connection, _activity(world, connection, external_id="T061EG9R6:C024BE91L:1401383885.000061")


@respx.mock(assert_all_mocked=True)
def test_slack_message_is_deleted_once_although_the_task_runs_twice(
    respx_mock, world, slack, django_capture_on_commit_callbacks
):
    route = respx_mock.post(SLACK_DELETE).mock(
        return_value=httpx.Response(200, json={"ok": True, "channel": "C024BE91L", "ts": "1401383885.000061"})
    )
    removal, sent = _request_and_run(world, slack[1], django_capture_on_commit_callbacks, runs=2)
    assert len(sent) == 1 and route.call_count == 1  # the second delivery found the row done
    request = route.calls.last.request
    assert parse_qs(request.content.decode()) == {"channel": ["C024BE91L"], "ts": ["1401383885.000061"]}
    assert request.headers["Authorization"] == "Bearer xoxb-test-token-5678"
    assert removal.status == RemovalStatus.DONE and removal.attempts == 1 and removal.done_at is not None


@respx.mock(assert_all_mocked=True)
def test_asking_twice_sends_one_task_and_a_failed_removal_can_be_asked_again(
    respx_mock, world, slack, django_capture_on_commit_callbacks
):
    respx_mock.post(SLACK_DELETE).mock(
        return_value=httpx.Response(200, json={"ok": False, "error": "cant_delete_message"})
    )
    removal, _ = _request_and_run(world, slack[1], django_capture_on_commit_callbacks)
    assert removal.status == RemovalStatus.FAILED and "cant_delete_message" in removal.error
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=False) as sent:
        again = channel_removal_request(community=world.a, actor=owner_actor(world.a), activity=slack[1])
        assert ChannelRemoval.objects.for_community(world.a).count() == 1
    assert again.pk == removal.pk and again.status == RemovalStatus.PENDING and len(sent) == 1
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=False) as sent:
        channel_removal_request(community=world.a, actor=owner_actor(world.a), activity=slack[1])
    assert sent == []  # still pending: nothing more to send


@respx.mock(assert_all_mocked=True)
def test_a_rate_limit_waits_and_retries_then_removes(respx_mock, world, slack, django_capture_on_commit_callbacks):
    route = respx_mock.post(SLACK_DELETE).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "30"}),
            httpx.Response(200, json={"ok": True, "channel": "C024BE91L", "ts": "1401383885.000061"}),
        ]
    )
    removal, _ = _request_and_run(world, slack[1], django_capture_on_commit_callbacks)
    assert route.call_count == 2 and removal.status == RemovalStatus.DONE and removal.attempts == 2


@respx.mock(assert_all_mocked=True)
def test_message_already_gone_counts_as_removed(respx_mock, world, slack, django_capture_on_commit_callbacks):
    respx_mock.post(SLACK_DELETE).mock(
        return_value=httpx.Response(200, json={"ok": False, "error": "message_not_found"})
    )
    removal, _ = _request_and_run(world, slack[1], django_capture_on_commit_callbacks)
    assert removal.status == RemovalStatus.DONE


@respx.mock(assert_all_mocked=True)
def test_discord_github_telegram_and_discourse_in_their_documented_shapes(
    respx_mock, world, django_capture_on_commit_callbacks
):
    discord = make_connection(world.a, "discord")
    discord_route = respx_mock.delete(
        "https://discord.com/api/v10/channels/1070000000000000000/messages/1090000000000000001"
    ).mock(return_value=httpx.Response(404, json={"message": "Unknown Message", "code": 10008}))
    github = make_connection(world.a, "github")
    github_route = respx_mock.delete("https://api.github.com/repos/octocat/Hello-World/issues/comments/1146825").mock(
        return_value=httpx.Response(204)
    )
    telegram = make_connection(world.a, "telegram")
    telegram_route = respx_mock.post(
        "https://api.telegram.org/bot123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11/deleteMessage"
    ).mock(return_value=httpx.Response(200, json={"ok": True, "result": True}))
    discourse = make_connection(world.a, "discourse")
    discourse_route = respx_mock.delete("https://forum.example.com/posts/4242.json").mock(
        return_value=httpx.Response(200)
    )

    cases = [
        (discord, dict(external_id="1090000000000000001", url="https://discord.com/channels/1/1070000000000000000/1090000000000000001")),
        (github, dict(external_id="issue_comment:1146825", kind="comment", parent="issue:octocat/Hello-World#1347")),
        (telegram, dict(external_id="-1001234567890:77")),
        (discourse, dict(external_id="forum.example.com:post:4242", kind="reply")),
    ]  # fmt: skip
    for connection, fields in cases:
        removal, _ = _request_and_run(world, _activity(world, connection, **fields), django_capture_on_commit_callbacks)
        assert removal.status == RemovalStatus.DONE, (connection.kind, removal.error)
    assert [r.call_count for r in (discord_route, github_route, telegram_route, discourse_route)] == [1, 1, 1, 1]
    assert discord_route.calls.last.request.headers["Authorization"] == "Bot MTA5ODc.discord-bot-token"
    assert parse_qs(telegram_route.calls.last.request.content.decode()) == {
        "chat_id": ["-1001234567890"], "message_id": ["77"],
    }  # fmt: skip
    assert discourse_route.calls.last.request.headers["Api-Key"] == "discourse-key-0000"


@respx.mock(assert_all_mocked=True)
def test_platforms_without_removal_say_so_and_call_nothing(respx_mock, world, django_capture_on_commit_callbacks):
    youtube = make_connection(world.a, "youtube")  # an API key reads; rejecting comments needs the owner's OAuth
    github = make_connection(world.a, "github")
    for connection, fields in ((youtube, {"external_id": "UgzDE2tasfmrYLyNkGt4AaABAg"}), (github, {"external_id": "issue:octocat/Hello-World#1347", "kind": "issue"})):  # fmt: skip
        removal, _ = _request_and_run(world, _activity(world, connection, **fields), django_capture_on_commit_callbacks)
        assert removal.status == RemovalStatus.UNSUPPORTED and removal.error
    assert respx_mock.calls.call_count == 0


def test_forum_and_api_activities_have_nothing_to_remove_elsewhere(world):
    with community_scope(world.a.pk):
        activity = Activity.objects.create(
            community=world.a, kind="message", source="api", external_id="x1", occurred_at=timezone.now()
        )
        assert channel_removal_request(community=world.a, actor=owner_actor(world.a), activity=activity) is None


@respx.mock(assert_all_mocked=True)
def test_a_moderator_removing_a_channel_activity_from_the_queue_deletes_it_on_slack(
    respx_mock, world, slack, django_capture_on_commit_callbacks, eager_celery
):
    route = respx_mock.post(SLACK_DELETE).mock(return_value=httpx.Response(200, json={"ok": True}))
    mia = add_member(world.a, make_user("mia@example.com"), role=Role.MODERATOR, display_name="mia")
    moderator = Actor(community=world.a, user_id=mia.user_id, member=mia)
    activity = slack[1]
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
        item = queue_item_open(community=world.a, subject_kind="activity", subject_id=activity.pk, reasons=["spam"])
        queue_item_act(community=world.a, actor=moderator, item=item, action="reject")
    assert route.call_count == 1
    with community_scope(world.a.pk):
        activity.refresh_from_db()
        removal = ChannelRemoval.objects.for_community(world.a).get(activity=activity)
    assert activity.moderation_status == "removed" and removal.status == RemovalStatus.DONE
    assert removal.requested_by_id == mia.pk


@respx.mock(assert_all_mocked=True)
def test_the_queue_shows_what_the_platform_said_on_the_page_and_in_the_api(
    respx_mock, client, world, slack, django_capture_on_commit_callbacks, eager_celery
):
    respx_mock.post(SLACK_DELETE).mock(
        return_value=httpx.Response(200, json={"ok": False, "error": "cant_delete_message"})
    )
    activity = slack[1]
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
        item = queue_item_open(community=world.a, subject_kind="activity", subject_id=activity.pk, reasons=["spam"])
        queue_item_act(community=world.a, actor=owner_actor(world.a), item=item, action="reject")
    body = client.get(f"/api/v1/moderation/queue/{item.pk}/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}").json()
    assert body["channel_removal_status"] == "failed" and "cant_delete_message" in body["channel_removal_error"]
    listed = client.get("/api/v1/moderation/queue/?status=all", HTTP_AUTHORIZATION=f"Bearer {world.a_key}").json()
    assert [r["channel_removal_status"] for r in listed["results"]] == ["failed"]
    client.force_login(world.alice)
    page = client.get(f"/c/alpha/manage/moderation/items/{item.pk}/").content.decode()
    assert 'id="channel-removal"' in page and "The platform refused" in page and "cant_delete_message" in page
