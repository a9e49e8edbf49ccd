"""The generic HMAC webhook (Hearth's own activity JSON) and RSS/Atom feeds with conditional GET."""

import json
import time

import httpx
import respx

from community.models import Activity
from community.tenancy import community_scope
from integrations.connectors import get_connector
from integrations.connectors.generic import sign
from integrations.models import InboxEvent, InboxStatus, SyncRun
from integrations.services.sync import connection_sync

from .conftest import fixture_bytes, make_connection


def _headers(secret: str, body: bytes, timestamp: int | None = None) -> dict:
    return {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sign(secret, body, timestamp).items()}


def test_generic_signed_delivery_becomes_activities(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "generic")
    body = fixture_bytes("generic/activities.json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/hooks/{connection.uuid}/",
            body,
            content_type="application/json",
            **_headers(connection.webhook_secret, body),
        )
    assert response.status_code == 200
    with community_scope(world.a.pk):
        activities = Activity.objects.for_community(world.a).order_by("occurred_at")
        assert [a.kind for a in activities] == ["event_rsvp", "event_attendance"]
        assert activities[0].member_id == activities[1].member_id  # one identity, one member
        assert activities[0].source == "meetup"


def test_generic_stale_timestamp_is_refused(client, world):
    connection = make_connection(world.a, "generic")
    body = fixture_bytes("generic/activities.json")
    headers = _headers(connection.webhook_secret, body, int(time.time()) - 3600)
    response = client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers)
    assert response.status_code == 401


def test_generic_item_without_identity_is_400_with_the_reason(client, world):
    connection = make_connection(world.a, "generic")
    body = json.dumps({"items": [{"external_id": "1", "kind": "post", "occurred_at": "2026-01-01T00:00:00Z"}]}).encode()
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", **_headers(connection.webhook_secret, body)
    )
    assert response.status_code == 400
    assert "identity" in response.json()["error"]["message"]
    with community_scope(world.a.pk):
        assert not InboxEvent.objects.for_community(world.a).exists()


def test_generic_invalid_kind_fails_the_event_and_keeps_it(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    connection = make_connection(world.a, "generic")
    payload = json.loads(fixture_bytes("generic/activities.json"))
    payload["items"][0]["kind"] = "teleport"
    body = json.dumps(payload).encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/hooks/{connection.uuid}/",
            body,
            content_type="application/json",
            **_headers(connection.webhook_secret, body),
        )
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
        assert event.status == InboxStatus.FAILED
        assert "rsvp-8812" in event.error and "kind" in event.error
        assert Activity.objects.for_community(world.a).count() == 1  # the valid item still landed


rss = get_connector("rss")
FEED = "https://blog.example.com/feed.xml"


def test_atom_entry_parses_with_author_identity():
    (item,) = rss.parse(fixture_bytes("rss/atom.xml"), {"X-Hearth-Feed-Url": FEED})
    assert item["external_id"] == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert item["kind"] == "post"
    assert item["occurred_at"] == "2003-12-13T18:30:02+00:00"
    assert item["identity"]["email"] == "johndoe@example.com"
    assert item["identity"]["name"] == "John Doe"


def test_rss2_entries_parse():
    items = rss.parse(fixture_bytes("rss/rss2.xml"), {"X-Hearth-Feed-Url": FEED})
    assert [i["external_id"] for i in items] == [
        "7bd204c6-1655-4c27-aeee-53f933c5395f",
        "http://www.example.com/blog/post/2",
    ]


@respx.mock(assert_all_mocked=True)
def test_feed_poll_uses_conditional_get(respx_mock, world):
    calls = []

    def answer(request):
        calls.append(dict(request.headers))
        if request.headers.get("If-None-Match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(
            200,
            content=fixture_bytes("rss/rss2.xml"),
            headers={
                "Content-Type": "application/rss+xml",
                "ETag": '"v1"',
                "Last-Modified": "Mon, 07 Sep 2009 10:00:00 GMT",
            },
        )

    respx_mock.get(FEED).mock(side_effect=answer)
    connection = make_connection(world.a, "rss")
    connection_sync(community=world.a, connection_id=connection.pk)
    connection_sync(community=world.a, connection_id=connection.pk)
    assert calls[1]["if-none-match"] == '"v1"'
    assert calls[1]["if-modified-since"] == "Mon, 07 Sep 2009 10:00:00 GMT"
    with community_scope(world.a.pk):
        assert Activity.objects.for_community(world.a).count() == 2
        assert InboxEvent.objects.for_community(world.a).count() == 1  # the 304 stored nothing
        assert SyncRun.objects.for_community(world.a).filter(status="succeeded").count() == 2


@respx.mock(assert_all_mocked=True)
def test_unreadable_feed_is_kept_as_a_failed_event(respx_mock, world):
    respx_mock.get(FEED).mock(return_value=httpx.Response(200, content=fixture_bytes("rss/not_a_feed.html")))
    connection = make_connection(world.a, "rss")
    connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
        assert event.status == InboxStatus.FAILED
        assert event.error.startswith("malformed")


def test_a_feed_author_claiming_the_owners_email_is_not_attributed_to_the_owner(world):
    """Identity spoofing: an RSS author's email is self-declared, so it never matches a member (issue 14, Medium 8)."""
    from community.models import Member
    from community.services.activities import activity_ingest
    from tests.factories import owner_of

    owner = owner_of(world.a)
    body = fixture_bytes("rss/atom.xml").replace(b"johndoe@example.com", owner.email.encode())
    (item,) = rss.parse(body, {"X-Hearth-Feed-Url": FEED})
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=[item])
        activity = Activity.objects.for_community(world.a).get(external_id=item["external_id"])
        assert activity.member_id != owner.pk
        assert Member.objects.for_community(world.a).get(pk=activity.member_id).user_id is None


def test_generic_delivery_id_deduplicates_replays(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "generic")
    body = fixture_bytes("generic/activities.json")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(
                f"/hooks/{connection.uuid}/",
                body,
                content_type="application/json",
                HTTP_X_HEARTH_DELIVERY="meetup-delivery-1",
                **_headers(connection.webhook_secret, body),
            ).json()
            for _ in range(2)
        ]
    assert (answers[1]["duplicate"], answers[1]["event"]) == (True, answers[0]["event"])
    with community_scope(world.a.pk):
        (event,) = InboxEvent.objects.for_community(world.a)
    assert event.delivery_id == "meetup-delivery-1"
