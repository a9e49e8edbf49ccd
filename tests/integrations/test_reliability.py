"""Reliability: retries with backoff, rate limits that wait, auth failures, malformed pages, locks, the fan-out."""

import logging
from datetime import timedelta

import httpx
import pytest
import respx
from django.core.management import call_command
from django.utils import timezone

from community.tenancy import community_scope
from integrations import http, tasks
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus, SyncRun
from integrations.services.sync import connection_sync

from .conftest import fixture_json, make_connection

ISSUES = "https://api.github.com/repos/octocat/Hello-World/issues"
COMMENTS = "https://api.github.com/repos/octocat/Hello-World/issues/comments"


def _comments_ok(router):
    router.get(COMMENTS).mock(return_value=httpx.Response(200, json=[]))


@respx.mock(assert_all_mocked=True)
def test_5xx_is_retried_with_exponential_backoff(respx_mock, world, no_sleep):
    _comments_ok(respx_mock)
    route = respx_mock.get(ISSUES).mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(503),
            httpx.Response(200, json=fixture_json("github/rest_issues_page2.json")),
        ]
    )
    connection = make_connection(world.a, "github")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "succeeded"
    assert route.call_count == 3
    assert no_sleep == [0.5, 1.0]


@respx.mock(assert_all_mocked=True)
def test_network_errors_are_retried(respx_mock, world, no_sleep):
    _comments_ok(respx_mock)
    respx_mock.get(ISSUES).mock(side_effect=[httpx.ConnectError("connection refused"), httpx.Response(200, json=[])])
    connection = make_connection(world.a, "github")
    assert connection_sync(community=world.a, connection_id=connection.pk).status == "succeeded"
    assert no_sleep == [0.5]


@respx.mock(assert_all_mocked=True)
def test_persistent_5xx_marks_failing_and_asks_for_a_retry(respx_mock, world, no_sleep):
    respx_mock.get(ISSUES).mock(return_value=httpx.Response(500))
    connection = make_connection(world.a, "github")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert (outcome.status, outcome.retry_in) == ("failed", 60)
    assert no_sleep == [0.5, 1.0, 2.0]
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.FAILING


@respx.mock(assert_all_mocked=True)
def test_github_secondary_limit_403_with_remaining_zero_waits_until_reset(respx_mock, world):
    reset = int(timezone.now().timestamp()) + 120
    respx_mock.get(ISSUES).mock(
        return_value=httpx.Response(
            403,
            json={"message": "API rate limit exceeded"},
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset), "X-RateLimit-Limit": "5000"},
        )
    )
    connection = make_connection(world.a, "github")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "rate_limited"
    assert 100 <= outcome.retry_in <= 120
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.ACTIVE  # waiting, not failing
        assert connection.next_poll_at > timezone.now() + timedelta(seconds=90)


class _Retry(Exception):
    pass


@respx.mock(assert_all_mocked=True)
def test_429_turns_into_a_task_retry_countdown(respx_mock, world, monkeypatch):
    respx_mock.get(ISSUES).mock(return_value=httpx.Response(429, headers={"Retry-After": "42"}))
    connection = make_connection(world.a, "github")
    asked = {}

    def fake_retry(**kwargs):
        asked.update(kwargs)
        return _Retry()

    monkeypatch.setattr(tasks.sync_connection_task, "retry", fake_retry)
    with pytest.raises(_Retry):
        tasks.sync_connection_task.run(world.a.pk, connection.pk)
    assert asked == {"countdown": 42, "max_retries": None}
    with community_scope(world.a.pk):
        run = SyncRun.objects.for_community(world.a).get()
        assert run.status == "rate_limited"
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.ACTIVE


@respx.mock(assert_all_mocked=True)
def test_malformed_page_is_kept_failed_with_its_error_and_replayable(respx_mock, world):
    respx_mock.get(ISSUES).mock(return_value=httpx.Response(200, content=b"<html>Unicorn!</html>"))
    connection = make_connection(world.a, "github")
    assert connection_sync(community=world.a, connection_id=connection.pk).status == "failed"
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
        assert event.status == InboxStatus.FAILED and "not JSON" in event.error
        assert bytes(event.body) == b"<html>Unicorn!</html>"
    call_command("replay_inbox", "alpha")
    with community_scope(world.a.pk):
        event.refresh_from_db()
        assert event.status == InboxStatus.FAILED and event.attempts == 1  # still unreadable, still kept


def test_a_connection_never_syncs_twice_at_once(world):
    connection = make_connection(world.a, "github")
    lock = tasks._redis().lock(tasks.sync_lock_key(connection.pk), timeout=60)
    assert lock.acquire(blocking=False)
    try:
        assert tasks.sync_connection_task.run(world.a.pk, connection.pk) == "locked"
    finally:
        lock.release()
    with community_scope(world.a.pk):
        assert not SyncRun.objects.for_community(world.a).exists()


def test_fan_out_enqueues_due_polls_across_communities_once(world, monkeypatch):
    due_a = make_connection(world.a, "github")
    due_b = make_connection(world.b, "rss")
    paused = make_connection(world.a, "rss", display_name="paused")
    webhook_only = make_connection(world.a, "generic")
    with community_scope(world.a.pk):
        ChannelConnection.objects.for_community(world.a).filter(pk=paused.pk).update(status="paused")
    sent = []
    monkeypatch.setattr(tasks.sync_connection_task, "delay", lambda *args: sent.append(args))
    monkeypatch.setattr(tasks.process_inbox_task, "delay", lambda *args: sent.append(("process", *args)))
    assert tasks.poll_due_connections_task.run() == 2
    assert sorted(sent) == sorted([(world.a.pk, due_a.pk), (world.b.pk, due_b.pk)])
    assert webhook_only.pk not in [args[1] for args in sent]
    sent.clear()
    assert tasks.poll_due_connections_task.run() == 0  # claimed: next_poll_at moved forward
    with community_scope(world.a.pk):
        due_a.refresh_from_db()
        assert due_a.next_poll_at > timezone.now() + timedelta(seconds=800)


def test_fan_out_requeues_events_whose_task_was_lost(world, monkeypatch):
    connection = make_connection(world.a, "generic")
    with community_scope(world.a.pk):
        event = InboxEvent.objects.create(community=world.a, connection=connection, body=b"{}", event_type="activities")
        InboxEvent.objects.for_community(world.a).filter(pk=event.pk).update(
            received_at=timezone.now() - timedelta(minutes=10)
        )
    sent = []
    monkeypatch.setattr(tasks.process_inbox_task, "delay", lambda *args: sent.append(args))
    tasks.poll_due_connections_task.run()
    assert sent == [(world.a.pk, [event.pk])]


@respx.mock(assert_all_mocked=True)
def test_credentials_never_reach_the_logs(respx_mock, world, caplog):
    respx_mock.get(ISSUES).mock(return_value=httpx.Response(401, json={"message": "Bad credentials"}))
    connection = make_connection(world.a, "github")
    with caplog.at_level(logging.DEBUG):
        connection_sync(community=world.a, connection_id=connection.pk)
        logging.getLogger("test").info("connection: %r %s", connection, connection)
    assert "ghp_test_token_1234" not in caplog.text
    assert "ghp_test_token_1234" not in repr(connection)


def test_retry_after_http_date_is_understood():
    later = timezone.now() + timedelta(seconds=90)
    response = httpx.Response(429, headers={"Retry-After": later.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    assert 80 <= http._retry_after(response) <= 90
