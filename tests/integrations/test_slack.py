"""Slack: Events API signatures with the 5-minute window, url_verification, events, history backfill."""

import time

import httpx
import pytest
import respx

from community.models import Activity
from community.tenancy import community_scope
from integrations.connectors import get_connector
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus, SyncRun
from integrations.services.sync import connection_sync

from .conftest import fixture_bytes, fixture_json, make_connection, slack_headers

slack = get_connector("slack")
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def test_slack_message_parses():
    (item,) = slack.parse(fixture_bytes("slack/message.json"), {})
    assert item["kind"] == "message"
    assert item["external_id"] == "T061EG9R6:C024BE91L:1355517523.000005"
    assert item["identity"] == {"channel": "slack", "external_id": "U2147483697"}
    assert item["occurred_at"].startswith("2012-12-14T20:38:43")


def test_slack_thread_reply_points_at_its_parent():
    (item,) = slack.parse(fixture_bytes("slack/message_thread_reply.json"), {})
    assert item["kind"] == "reply"
    assert item["parent_external_id"] == "T061EG9R6:C024BE91L:1355517523.000005"


def test_slack_reaction_and_member_join_parse():
    (reaction,) = slack.parse(fixture_bytes("slack/reaction_added.json"), {})
    assert reaction["kind"] == "reaction"
    assert reaction["parent_external_id"] == "T061EG9R6:C024BE91L:1355517523.000005"
    (join,) = slack.parse(fixture_bytes("slack/member_joined_channel.json"), {})
    assert join["kind"] == "join" and join["identity"]["external_id"] == "W06GH7XHN"


def _post(client, connection, body, **headers):
    return client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers)


def test_slack_url_verification_is_answered_with_the_challenge(client, world):
    connection = make_connection(world.a, "slack")
    body = fixture_bytes("slack/url_verification.json")
    response = _post(client, connection, body, **slack_headers(SECRET, body))
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}
    with community_scope(world.a.pk):
        assert not InboxEvent.objects.for_community(world.a).exists()


def test_slack_signature_older_than_five_minutes_is_refused(client, world):
    connection = make_connection(world.a, "slack")
    body = fixture_bytes("slack/message.json")
    response = _post(client, connection, body, **slack_headers(SECRET, body, timestamp=int(time.time()) - 301))
    assert response.status_code == 401
    with community_scope(world.a.pk):
        assert not InboxEvent.objects.for_community(world.a).exists()


def test_slack_tampered_body_is_refused(client, world):
    connection = make_connection(world.a, "slack")
    body = fixture_bytes("slack/message.json")
    headers = slack_headers(SECRET, body)
    response = _post(client, connection, body.replace(b"prospect", b"prosper"), **headers)
    assert response.status_code == 401


def test_slack_signed_events_become_activities(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "slack")
    with django_capture_on_commit_callbacks(execute=True):
        for name in ("message", "message_thread_reply", "reaction_added", "member_joined_channel"):
            body = fixture_bytes(f"slack/{name}.json")
            assert _post(client, connection, body, **slack_headers(SECRET, body)).status_code == 200
    with community_scope(world.a.pk):
        kinds = sorted(Activity.objects.for_community(world.a).values_list("kind", flat=True))
        assert kinds == ["join", "message", "reaction", "reply"]
        assert set(InboxEvent.objects.for_community(world.a).values_list("delivery_id", flat=True)) == {
            "Ev0PV52K21",
            "Ev0PV52K25",
            "Ev0PV52K27",
            "Ev0PV52K29",
        }


def test_slack_unknown_event_type_is_stored_and_skipped(client, world):
    connection = make_connection(world.a, "slack")
    body = fixture_bytes("slack/app_home_opened.json")
    response = _post(client, connection, body, **slack_headers(SECRET, body))
    assert response.status_code == 200
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
        assert (event.status, event.event_type) == (InboxStatus.SKIPPED, "app_home_opened")


HISTORY = "https://slack.com/api/conversations.history"
REPLIES = "https://slack.com/api/conversations.replies"


@respx.mock(assert_all_mocked=True)
def test_slack_history_backfill_pages_with_cursor_and_reads_threads(respx_mock, world):
    history = respx_mock.get(HISTORY)
    history.side_effect = lambda request: httpx.Response(
        200,
        json=fixture_json(
            "slack/conversations_history_page2.json"
            if request.url.params.get("cursor")
            else "slack/conversations_history_page1.json"
        ),
    )
    replies = respx_mock.get(REPLIES).mock(
        return_value=httpx.Response(200, json=fixture_json("slack/conversations_replies.json"))
    )
    connection = make_connection(world.a, "slack")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "succeeded"
    assert history.call_count == 2 and replies.call_count == 1
    assert history.calls[1].request.url.params["cursor"] == "bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz"
    assert history.calls[0].request.headers["Authorization"] == "Bearer xoxb-test-token-5678"
    with community_scope(world.a.pk):
        kinds = sorted(Activity.objects.for_community(world.a).values_list("kind", flat=True))
        assert kinds == ["message", "message", "message", "reply"]  # the channel_join subtype is not a message
        run = SyncRun.objects.for_community(world.a).get()
        assert (run.items_created, run.items_duplicate) == (4, 1)  # the thread parent came twice
        cursor = ChannelConnection.objects.for_community(world.a).get().sync_cursor
        assert cursor["channels"]["C024BE91L"]["oldest"] == "1512104434.000490"


@respx.mock(assert_all_mocked=True)
def test_slack_invalid_auth_marks_needs_reauth(respx_mock, world):
    respx_mock.get(HISTORY).mock(return_value=httpx.Response(200, json=fixture_json("slack/invalid_auth.json")))
    connection = make_connection(world.a, "slack")
    connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.NEEDS_REAUTH
        assert "invalid_auth" in connection.last_error


@respx.mock(assert_all_mocked=True)
def test_slack_429_waits_for_retry_after(respx_mock, world):
    respx_mock.get(HISTORY).mock(return_value=httpx.Response(429, headers={"Retry-After": "30"}))
    connection = make_connection(world.a, "slack")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert (outcome.status, outcome.retry_in) == ("rate_limited", 30)
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.ACTIVE


@pytest.mark.parametrize("header", ["HTTP_X_SLACK_SIGNATURE", "HTTP_X_SLACK_REQUEST_TIMESTAMP"])
def test_slack_missing_signature_header_is_refused(client, world, header):
    connection = make_connection(world.a, "slack")
    body = fixture_bytes("slack/message.json")
    headers = slack_headers(SECRET, body)
    headers.pop(header)
    assert _post(client, connection, body, **headers).status_code == 401


def test_a_signed_delivery_cannot_pose_as_a_fetched_page(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    """X-Hearth-* headers are our fetchers' markers: stripped from deliveries, so the body is read as an event."""
    connection = make_connection(world.a, "slack")
    body = fixture_bytes("slack/message.json")
    headers = slack_headers(SECRET, body)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, connection, body, HTTP_X_HEARTH_EVENT="rest:conversations.history", **headers)
    assert response.status_code == 200
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
        assert not any(key.lower().startswith("x-hearth-") for key in event.headers)
        assert event.event_type != "rest:conversations.history"
        assert list(Activity.objects.for_community(world.a).values_list("kind", flat=True)) == ["message"]
