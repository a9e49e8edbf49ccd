"""Poison pills: one unstorable value costs at most its own event, never the batch, the bookkeeping or the sweep."""

import json
from datetime import timedelta

import httpx
import pytest
import respx
from django.db import connection
from django.utils import timezone

from community.models import Activity
from community.services import activities as activities_service
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from integrations import tasks
from integrations.connectors.base import RawEvent
from integrations.connectors.generic import sign
from integrations.models import InboxEvent, InboxStatus, SyncRun, SyncRunStatus
from integrations.services import sync as sync_service
from integrations.services.inbox import SWEEP_GIVE_UP, inbox_process, inbox_store
from integrations.services.sync import connection_sync

from .conftest import fixture_bytes, make_connection

FEED = "https://blog.example.com/feed.xml"


def _item(external_id: str, **extra) -> dict:
    return {
        "source": "meetup",
        "external_id": external_id,
        "kind": "post",
        "occurred_at": "2026-03-01T18:00:00Z",
        "title": f"Post {external_id}",
        "identity": {"channel": "meetup", "external_id": f"m-{external_id}", "name": "Ada"},
        **extra,
    }


def _event(*items: dict) -> RawEvent:
    return RawEvent(event_type="activities", body=json.dumps({"items": list(items)}).encode(), headers={})


def test_nul_lone_surrogates_and_infinity_are_cleaned_not_fatal(world):
    item = _item(
        "nul-1",
        title="Hello\x00 world",
        body="broken \ud800 pair and a NUL\x00",
        extra={"k\x00ey": ["v\x00", {"deep": "x\x00"}], "ratio": float("inf")},
    )
    item["identity"] = {**item["identity"], "name": "A\x00da", "profile": {"bio": "b\x00io"}}
    with community_scope(world.a.pk):
        (result,) = activity_ingest(community=world.a, items=[item])
        assert result["status"] == "created", result
        activity = Activity.objects.for_community(world.a).select_related("member").get(pk=result["id"])
    assert activity.title == "Hello world"
    assert activity.body == "broken \ufffd pair and a NUL"
    assert activity.extra == {"key": ["v", {"deep": "x"}], "ratio": None}
    assert activity.member.display_name == "Ada"


def test_a_signed_webhook_with_nul_lands_with_the_rest(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "generic")
    body = json.dumps({"items": [_item("ok-1"), _item("nul-2", body="\x00\x00"), _item("ok-3")]}).encode()
    assert b"\\u0000" in body  # the JSON escape a platform sends
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sign(connection.webhook_secret, body).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers)
    assert response.status_code == 200
    with community_scope(world.a.pk):
        ids = sorted(Activity.objects.for_community(world.a).values_list("external_id", flat=True))
        (event,) = InboxEvent.objects.for_community(world.a)
    assert ids == ["nul-2", "ok-1", "ok-3"]
    assert (event.status, event.items_created) == (InboxStatus.PROCESSED, 3)


@respx.mock(assert_all_mocked=True)
def test_a_feed_with_an_escaped_nul_syncs(respx_mock, world):
    feed = fixture_bytes("rss/rss2.xml").replace(b"<title>", b"<title>&#0;", 1)
    assert b"&#0;" in feed
    respx_mock.get(FEED).mock(
        return_value=httpx.Response(200, content=feed, headers={"Content-Type": "application/rss+xml"})
    )
    connection = make_connection(world.a, "rss")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == SyncRunStatus.SUCCEEDED
    with community_scope(world.a.pk):
        assert Activity.objects.for_community(world.a).count() == 2
        assert not InboxEvent.objects.for_community(world.a).exclude(status=InboxStatus.PROCESSED).exists()


@pytest.fixture
def refuse_poison(monkeypatch):
    """Fault injection: the database refuses any insert that carries external id 'poison' (a value validation missed)."""
    real_insert = activities_service._insert

    def insert(rows):
        if any("poison" in row for row in rows):
            with connection.cursor() as cursor:  # a real refusal: it aborts the transaction, as the original did
                cursor.execute("""SELECT '{"ratio": Infinity}'::jsonb""")
        return real_insert(rows)

    monkeypatch.setattr(activities_service, "_insert", insert)


def test_a_refused_event_fails_alone_with_its_reason(world, refuse_poison):
    connection = make_connection(world.a, "generic")
    with community_scope(world.a.pk):
        stored = inbox_store(
            community=world.a,
            connection=connection,
            events=[_event(_item("good-1")), _event(_item("poison")), _event(_item("good-2"), _item("good-3"))],
        )
        summary = inbox_process(community=world.a, event_ids=[event.pk for event in stored])
        events = {event.pk: event for event in InboxEvent.objects.for_community(world.a)}
        created = sorted(Activity.objects.for_community(world.a).values_list("external_id", flat=True))
    assert created == ["good-1", "good-2", "good-3"]
    good_1, poison, good_2 = (events[event.pk] for event in stored)
    assert (good_1.status, good_1.items_created) == (InboxStatus.PROCESSED, 1)
    assert (good_2.status, good_2.items_created) == (InboxStatus.PROCESSED, 2)
    assert poison.status == InboxStatus.FAILED
    assert "refused by the database" in poison.error
    assert poison.attempts == 1  # the bookkeeping survived: the sweep will not take it for a lost task
    assert (summary["created"], summary["failed"]) == (3, 1)


def _received(community, connection, *, attempts: int) -> InboxEvent:
    with community_scope(community.pk):
        event = InboxEvent.objects.create(
            community=community, connection=connection, body=b"{}", event_type="activities"
        )
        InboxEvent.objects.for_community(community).filter(pk=event.pk).update(
            received_at=timezone.now() - timedelta(minutes=10), attempts=attempts
        )
    return event


def test_the_sweep_counts_its_attempts_and_gives_up(world, monkeypatch):
    connection = make_connection(world.a, "generic")
    crashing = _received(world.a, connection, attempts=SWEEP_GIVE_UP)
    lost = _received(world.a, connection, attempts=0)
    sent = []
    monkeypatch.setattr(tasks.process_inbox_task, "delay", lambda *args: sent.append(args))
    tasks.poll_due_connections_task.run()
    assert sent == [(world.a.pk, [lost.pk])]
    with community_scope(world.a.pk):
        crashing.refresh_from_db()
        lost.refresh_from_db()
    assert crashing.status == InboxStatus.FAILED
    assert "gave up" in crashing.error
    assert (lost.status, lost.attempts) == (InboxStatus.RECEIVED, 1)


@pytest.mark.django_db(transaction=True)  # the crash ends the scope's transaction, as it does in a worker
@respx.mock(assert_all_mocked=True)
def test_a_crashed_sync_closes_its_run_as_failed(respx_mock, world, monkeypatch):
    respx_mock.get(FEED).mock(return_value=httpx.Response(200, content=fixture_bytes("rss/rss2.xml")))
    connection = make_connection(world.a, "rss")

    def crash(**kwargs):
        raise RuntimeError("worker bug")

    monkeypatch.setattr(sync_service, "inbox_process", crash)
    with pytest.raises(RuntimeError):
        connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        (run,) = SyncRun.objects.for_community(world.a)
    assert run.status == SyncRunStatus.FAILED
    assert "crashed: RuntimeError: worker bug" in run.error
    assert run.finished_at is not None


def test_the_beat_closes_runs_whose_worker_died(world, monkeypatch):
    connection = make_connection(world.a, "rss")
    with community_scope(world.a.pk):
        old = SyncRun.objects.create(community=world.a, connection=connection)
        fresh = SyncRun.objects.create(community=world.a, connection=connection)
        SyncRun.objects.for_community(world.a).filter(pk=old.pk).update(started_at=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(tasks.sync_connection_task, "delay", lambda *args: None)
    tasks.poll_due_connections_task.run()
    with community_scope(world.a.pk):
        old.refresh_from_db()
        fresh.refresh_from_db()
    assert old.status == SyncRunStatus.FAILED
    assert "interrupted" in old.error
    assert fresh.status == SyncRunStatus.RUNNING
