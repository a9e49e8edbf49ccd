"""The channels API: CRUD with masked credentials, actions, sync runs, inbox and replay; tenancy and roles."""

import httpx
import respx

from community.models import Activity
from community.tenancy import community_scope
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus

from .conftest import make_connection


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_create_connection_masks_credentials_and_shows_the_secret_once(client, world):
    response = client.post(
        "/api/v1/channels/",
        {
            "kind": "github",
            "display_name": "Hearth repo",
            "config": {"repo": "octocat/Hello-World"},
            "credentials": {"token": "ghp_supersecrettoken9876"},
        },
        content_type="application/json",
        **_auth(world.a_key),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["masked_credentials"] == {"token": "••••9876"}
    assert "ghp_supersecrettoken9876" not in response.content.decode()
    assert body["webhook_url"].endswith(f"/hooks/{body['uuid']}/")
    assert len(body["webhook_secret"]) > 30
    detail = client.get(f"/api/v1/channels/{body['id']}/", **_auth(world.a_key)).json()
    assert "webhook_secret" not in detail and "credentials" not in detail
    with community_scope(world.a.pk):
        stored = ChannelConnection.objects.for_community(world.a).get()
        assert "ghp_" not in stored.credentials_encrypted
        assert stored.credentials == {"token": "ghp_supersecrettoken9876"}


def test_create_requires_the_configuration_fields(client, world):
    response = client.post(
        "/api/v1/channels/",
        {"kind": "github", "display_name": "x", "config": {}},
        content_type="application/json",
        **_auth(world.a_key),
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"repo": ["Repository is required."]}


def test_blank_credentials_on_update_keep_the_stored_token(client, world):
    connection = make_connection(world.a, "github")
    response = client.patch(
        f"/api/v1/channels/{connection.pk}/",
        {"display_name": "Renamed", "credentials": {"token": ""}},
        content_type="application/json",
        **_auth(world.a_key),
    )
    assert response.status_code == 200
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.display_name == "Renamed"
        assert connection.credentials == {"token": "ghp_test_token_1234"}


def test_pause_and_resume(client, world, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "github")
    assert client.post(f"/api/v1/channels/{connection.pk}/pause/", **_auth(world.a_key)).json()["status"] == "paused"
    with django_capture_on_commit_callbacks():
        resumed = client.post(f"/api/v1/channels/{connection.pk}/resume/", **_auth(world.a_key)).json()
    assert resumed["status"] == "active"


@respx.mock(assert_all_mocked=True)
def test_check_with_revoked_token_marks_needs_reauth(
    respx_mock, client, world, eager_celery, django_capture_on_commit_callbacks
):
    route = respx_mock.get("https://api.github.com/repos/octocat/Hello-World").mock(
        return_value=httpx.Response(401, json={"message": "Bad credentials"})
    )
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(f"/api/v1/channels/{connection.pk}/check/", **_auth(world.a_key))
    assert queued.status_code == 202 and route.call_count == 1  # called once, by the worker, without retries
    body = client.get(f"/api/v1/channels/{connection.pk}/", **_auth(world.a_key)).json()
    assert body["last_check"]["ok"] is False and body["status"] == ConnectionStatus.NEEDS_REAUTH
    assert "refused the credentials" in body["last_check"]["message"]


def test_resync_resets_the_cursor_and_enqueues_a_sync(client, world, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/api/v1/channels/{connection.pk}/resync/",
            {"since": "2024-01-01T00:00:00Z"},
            content_type="application/json",
            **_auth(world.a_key),
        )
    assert response.status_code == 200
    assert response.json()["sync_cursor"]["issues"] == {"since": "2024-01-01T00:00:00Z"}
    assert len(callbacks) == 1


def test_inbox_list_and_replay_of_a_failed_event(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "generic")
    good = (
        b'{"external_id": "e1", "kind": "post", "occurred_at": "2026-01-01T00:00:00Z",'
        b' "identity": {"channel": "forum", "external_id": "u1"}}'
    )
    with community_scope(world.a.pk):
        event = InboxEvent.objects.create(
            community=world.a, connection=connection, event_type="activities", body=good, status="failed", error="boom"
        )
    listed = client.get(f"/api/v1/channels/{connection.pk}/inbox/?status=failed", **_auth(world.a_key)).json()
    assert [e["id"] for e in listed["results"]] == [event.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/channels/{connection.pk}/inbox/{event.pk}/replay/", **_auth(world.a_key))
    assert response.status_code == 202
    with community_scope(world.a.pk):
        event.refresh_from_db()
        assert event.status == InboxStatus.PROCESSED and event.attempts == 1
        assert Activity.objects.for_community(world.a).count() == 1


def test_member_cannot_manage_channels(client, world):
    connection = make_connection(world.a, "github")
    client.force_login(world.bob)
    assert client.get("/api/v1/c/alpha/channels/").status_code == 403
    assert client.post(f"/api/v1/c/alpha/channels/{connection.pk}/pause/").status_code == 403
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.ACTIVE


def test_other_communitys_connection_is_404(client, world):
    connection = make_connection(world.b, "github")
    assert client.get(f"/api/v1/channels/{connection.pk}/", **_auth(world.a_key)).status_code == 404
    assert client.post(f"/api/v1/channels/{connection.pk}/pause/", **_auth(world.a_key)).status_code == 404


def test_connection_list_query_count_is_constant(client, world, django_assert_num_queries):
    make_connection(world.a, "github")
    client.get("/api/v1/channels/", **_auth(world.a_key))  # warm caches
    with django_assert_num_queries(8) as one:
        client.get("/api/v1/channels/", **_auth(world.a_key))
    for index in range(49):
        make_connection(world.a, "rss", display_name=f"feed {index}")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/api/v1/channels/", **_auth(world.a_key))
    assert len(response.json()["results"]) == 50
