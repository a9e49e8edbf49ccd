"""Dashboard pages of channels: list, connect, detail (masked, webhook URL, history), actions, replay."""

from community.tenancy import community_scope
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, SyncRun

from .conftest import make_connection


def test_nav_links_to_the_channel_list(client, world):
    client.force_login(world.alice)
    response = client.get("/c/alpha/manage/")
    assert 'href="/c/alpha/manage/channels/"' in response.content.decode()


def test_connect_github_from_the_dashboard(client, world):
    client.force_login(world.alice)
    assert client.get("/c/alpha/manage/channels/connect/github/").status_code == 200
    response = client.post(
        "/c/alpha/manage/channels/connect/github/",
        {
            "display_name": "Our repo",
            "poll_interval": 600,
            "config_repo": "octocat/Hello-World",
            "credential_token": "ghp_fromtheformabcd",
        },
    )
    # GitHub signs deliveries with our secret: it is shown in this one response, then never again.
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    with community_scope(world.a.pk):
        connection = ChannelConnection.objects.for_community(world.a).get()
    assert connection.webhook_secret in response.content.decode()
    assert f'href="/c/alpha/manage/channels/{connection.pk}/"' in response.content.decode()
    page = client.get(f"/c/alpha/manage/channels/{connection.pk}/").content.decode()
    assert "••••abcd" in page and "ghp_fromtheformabcd" not in page
    assert f"/hooks/{connection.uuid}/" in page
    assert connection.webhook_secret not in page


def test_the_webhook_secret_is_shown_once_after_rotation_and_never_on_the_channel_page(client, world):
    with community_scope(world.a.pk):
        connection = make_connection(world.a, "github")
        old = connection.webhook_secret
    client.force_login(world.alice)
    url = f"/c/alpha/manage/channels/{connection.pk}/"
    assert old not in client.get(url).content.decode()
    response = client.post(f"{url}action/", {"action": "rotate"})
    with community_scope(world.a.pk):
        new = ChannelConnection.objects.for_community(world.a).get(pk=connection.pk).webhook_secret
    assert new != old and new in response.content.decode()
    assert new not in client.get(url).content.decode()


def test_connect_form_reports_missing_configuration(client, world):
    client.force_login(world.alice)
    response = client.post("/c/alpha/manage/channels/connect/rss/", {"display_name": "Blog", "poll_interval": 900})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()


def test_detail_shows_sync_history_and_failed_events(client, world):
    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        SyncRun.objects.create(community=world.a, connection=connection, status="succeeded", items_created=17)
        InboxEvent.objects.create(
            community=world.a,
            connection=connection,
            event_type="rest:issues",
            body=b"[",
            status="failed",
            error="malformed: not JSON",
        )
    client.force_login(world.alice)
    page = client.get(f"/c/alpha/manage/channels/{connection.pk}/").content.decode()
    assert "<td>17</td>" in page
    assert "malformed: not JSON" in page


def test_pause_button(client, world):
    connection = make_connection(world.a, "github")
    client.force_login(world.alice)
    response = client.post(f"/c/alpha/manage/channels/{connection.pk}/action/", {"action": "pause"})
    assert response.status_code == 302
    with community_scope(world.a.pk):
        connection.refresh_from_db()
    assert connection.status == ConnectionStatus.PAUSED


def test_disconnect_button(client, world):
    connection = make_connection(world.a, "github")
    client.force_login(world.alice)
    response = client.post(f"/c/alpha/manage/channels/{connection.pk}/action/", {"action": "disconnect"})
    assert response["Location"] == "/c/alpha/manage/channels/"
    with community_scope(world.a.pk):
        assert not ChannelConnection.objects.for_community(world.a).exists()


def test_replay_button_requeues_a_failed_event(client, world, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        event = InboxEvent.objects.create(
            community=world.a, connection=connection, event_type="issues", body=b"{}", status="failed", error="x"
        )
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/c/alpha/manage/channels/{connection.pk}/inbox/{event.pk}/replay/")
    assert len(callbacks) == 1
    with community_scope(world.a.pk):
        event.refresh_from_db()
    assert event.status == "received"


def test_member_cannot_see_channel_pages(client, world):
    connection = make_connection(world.a, "github")
    client.force_login(world.bob)
    assert client.get("/c/alpha/manage/channels/").status_code == 403
    assert client.post(f"/c/alpha/manage/channels/{connection.pk}/action/", {"action": "pause"}).status_code == 403
