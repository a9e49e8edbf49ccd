"""GitHub: signed webhooks of every handled event, and REST backfill with Link pagination and ETag."""

import json

import httpx
import pytest
import respx
from django.core import mail

from community.models import Activity
from community.tenancy import community_scope
from integrations.connectors import get_connector
from integrations.connectors.base import UnknownEvent
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus, SyncRun
from integrations.services.sync import connection_sync

from .conftest import fixture_bytes, fixture_json, github_headers, make_connection

github = get_connector("github")

EXPECTED = {
    "issues.opened.json": ("issues", "issue", "issue:Codertocat/Hello-World#1", ""),
    "issue_comment.created.json": (
        "issue_comment",
        "comment",
        "issue_comment:492700400",
        "issue:Codertocat/Hello-World#1",
    ),
    "pull_request.opened.json": ("pull_request", "pull_request", "issue:Codertocat/Hello-World#2", ""),
    "pull_request_review.submitted.json": (
        "pull_request_review",
        "review",
        "review:237895671",
        "issue:Codertocat/Hello-World#2",
    ),
    "star.created.json": ("star", "star", "star:Codertocat/Hello-World:21031067", ""),
    "fork.json": ("fork", "fork", "fork:186853261", ""),
    "release.published.json": ("release", "post", "release:11248810", ""),
    "discussion.created.json": ("discussion", "post", "discussion:1024", ""),
    "discussion_comment.created.json": ("discussion_comment", "reply", "discussion_comment:1006", "discussion:1024"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_github_event_parses_to_one_activity_item(name):
    event, kind, external_id, parent = EXPECTED[name]
    (item,) = github.parse(fixture_bytes(f"github/{name}"), {"X-GitHub-Event": event})
    assert (item["source"], item["kind"], item["external_id"]) == ("github", kind, external_id)
    assert item.get("parent_external_id", "") == parent
    assert item["identity"]["channel"] == "github"
    assert item["occurred_at"].endswith("+00:00")


def test_github_fork_is_attributed_to_the_forking_account():
    (item,) = github.parse(fixture_bytes("github/fork.json"), {"X-GitHub-Event": "fork"})
    assert item["identity"] == {
        "channel": "github",
        "external_id": "38302899",
        "handle": "Octocoders",
        "url": "https://github.com/Octocoders",
    }


def test_github_ping_is_an_unknown_event():
    with pytest.raises(UnknownEvent):
        github.parse(fixture_bytes("github/ping.json"), {"X-GitHub-Event": "ping"})


def test_github_issue_edits_record_nothing():
    payload = fixture_json("github/issues.opened.json") | {"action": "edited"}
    assert github.parse(json.dumps(payload).encode(), {"X-GitHub-Event": "issues"}) == []


def _deliver(client, connection, name, event, secret=None, delivery="72d3162e-cc78-11e3-81ab-4c9367dc0958"):
    body = fixture_bytes(f"github/{name}")
    headers = github_headers(secret or connection.webhook_secret, body, event, delivery)
    return client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers)


def test_signed_github_delivery_becomes_an_activity(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks(execute=True):
        response = _deliver(client, connection, "issue_comment.created.json", "issue_comment")
    assert response.status_code == 200
    with community_scope(world.a.pk):
        event = InboxEvent.objects.for_community(world.a).get()
        assert event.status == InboxStatus.PROCESSED
        assert event.headers["X-Github-Event"] == "issue_comment"
        activity = Activity.objects.for_community(world.a).get()
        assert (activity.kind, activity.source, activity.connection_id) == ("comment", "github", connection.pk)
        assert activity.member.display_name


def test_replayed_github_delivery_is_acknowledged_and_not_stored(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks(execute=True):
        first = _deliver(client, connection, "issues.opened.json", "issues")
        replay = _deliver(client, connection, "issues.opened.json", "issues")
    assert replay.status_code == 200
    assert (replay.json()["duplicate"], replay.json()["event"]) == (True, first.json()["event"])
    with community_scope(world.a.pk):
        assert InboxEvent.objects.for_community(world.a).count() == 1
        assert Activity.objects.for_community(world.a).count() == 1


def test_same_item_in_two_github_deliveries_yields_one_activity(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks(execute=True):
        _deliver(client, connection, "issues.opened.json", "issues", delivery="d-1")
        _deliver(client, connection, "issues.opened.json", "issues", delivery="d-2")
    with community_scope(world.a.pk):
        assert InboxEvent.objects.for_community(world.a).count() == 2
        assert Activity.objects.for_community(world.a).count() == 1
        assert sorted(InboxEvent.objects.for_community(world.a).values_list("items_created", flat=True)) == [0, 1]


def test_bad_github_signature_is_refused_and_not_stored(client, world):
    connection = make_connection(world.a, "github")
    response = _deliver(client, connection, "issues.opened.json", "issues", secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    with community_scope(world.a.pk):
        assert not InboxEvent.objects.for_community(world.a).exists()


def test_unsigned_github_delivery_is_refused(client, world):
    connection = make_connection(world.a, "github")
    body = fixture_bytes("github/issues.opened.json")
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", HTTP_X_GITHUB_EVENT="issues"
    )
    assert response.status_code == 401


def test_github_ping_is_stored_and_skipped(client, world, eager_celery, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _deliver(client, connection, "ping.json", "ping")
    assert response.status_code == 200
    assert callbacks == []
    with community_scope(world.a.pk):
        assert InboxEvent.objects.for_community(world.a).get().status == InboxStatus.SKIPPED


def test_malformed_github_body_gets_400_with_the_reason(client, world):
    connection = make_connection(world.a, "github")
    body = b'{"action": "opened", "issue": '
    response = client.post(
        f"/hooks/{connection.uuid}/",
        body,
        content_type="application/json",
        **github_headers(connection.webhook_secret, body, "issues"),
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["error"]["message"]


def test_webhook_to_an_unknown_connection_is_404(client, db):
    response = client.post("/hooks/00000000-0000-0000-0000-000000000000/", b"{}", content_type="application/json")
    assert response.status_code == 404


def test_webhook_route_only_accepts_post(client, world):
    connection = make_connection(world.a, "github")
    assert client.get(f"/hooks/{connection.uuid}/").status_code == 405


# ---- REST backfill

ISSUES = "https://api.github.com/repos/octocat/Hello-World/issues"
COMMENTS = "https://api.github.com/repos/octocat/Hello-World/issues/comments"


def _mock_backfill(router):
    page2 = f"{ISSUES}?state=all&page=2"
    issues = router.get(ISSUES)
    issues.side_effect = lambda request: (
        httpx.Response(200, json=fixture_json("github/rest_issues_page2.json"))
        if request.url.params.get("page") == "2"
        else httpx.Response(
            200,
            json=fixture_json("github/rest_issues_page1.json"),
            headers={"ETag": 'W/"issues-etag-1"', "Link": f'<{page2}>; rel="next", <{page2}>; rel="last"'},
        )
    )
    comments = router.get(COMMENTS).mock(
        return_value=httpx.Response(200, json=fixture_json("github/rest_issue_comments.json"), headers={"ETag": '"c1"'})
    )
    return issues, comments


@respx.mock(assert_all_mocked=True)
def test_github_backfill_follows_link_pagination_and_records_the_run(respx_mock, world):
    issues, comments = _mock_backfill(respx_mock)
    connection = make_connection(world.a, "github")
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "succeeded"
    assert issues.call_count == 2 and comments.call_count == 1
    assert issues.calls[0].request.headers["Authorization"] == "Bearer ghp_test_token_1234"
    with community_scope(world.a.pk):
        kinds = sorted(Activity.objects.for_community(world.a).values_list("kind", flat=True))
        assert kinds == ["comment", "issue", "issue", "pull_request"]
        comment = Activity.objects.for_community(world.a).get(kind="comment")
        assert comment.parent_external_id == "issue:octocat/Hello-World#1348"
        run = SyncRun.objects.for_community(world.a).get()
        assert (run.pages, run.items_seen, run.items_created, run.items_duplicate) == (2, 4, 4, 0)
        cursor = ChannelConnection.objects.for_community(world.a).get().sync_cursor
        assert cursor["issues"]["since"] == "2011-04-25T09:00:00Z"
        assert cursor["issues"]["next"] is None


@respx.mock(assert_all_mocked=True)
def test_github_backfill_sends_the_etag_and_a_304_costs_nothing(respx_mock, world):
    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        ChannelConnection.objects.for_community(world.a).filter(pk=connection.pk).update(
            sync_cursor={
                "issues": {"since": "2011-04-25T09:00:00Z", "etag": 'W/"e1"', "etag_since": "2011-04-25T09:00:00Z"},
                "comments": {"since": "2011-04-25T09:00:00Z", "etag": '"c1"', "etag_since": "2011-04-25T09:00:00Z"},
            }
        )
    route = respx_mock.get(url__startswith=ISSUES).mock(return_value=httpx.Response(304))
    outcome = connection_sync(community=world.a, connection_id=connection.pk)
    assert outcome.status == "succeeded"
    sent = [call.request.headers.get("If-None-Match") for call in route.calls]
    assert sent == ['W/"e1"', '"c1"']
    assert route.calls[0].request.url.params["since"] == "2011-04-25T09:00:00Z"
    with community_scope(world.a.pk):
        assert not InboxEvent.objects.for_community(world.a).exists()


@respx.mock(assert_all_mocked=True)
def test_github_backfill_twice_counts_duplicates(respx_mock, world):
    _mock_backfill(respx_mock)
    connection = make_connection(world.a, "github")
    connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        ChannelConnection.objects.for_community(world.a).filter(pk=connection.pk).update(sync_cursor={})
    connection_sync(community=world.a, connection_id=connection.pk)
    with community_scope(world.a.pk):
        assert Activity.objects.for_community(world.a).count() == 4
        last = SyncRun.objects.for_community(world.a).order_by("-pk").first()
        assert (last.items_created, last.items_duplicate) == (0, 4)


@respx.mock(assert_all_mocked=True)
def test_github_401_marks_the_connection_needs_reauth(respx_mock, world, django_capture_on_commit_callbacks):
    respx_mock.get(url__startswith=ISSUES).mock(
        return_value=httpx.Response(
            401, json={"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}
        )
    )
    connection = make_connection(world.a, "github")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = connection_sync(community=world.a, connection_id=connection.pk)
        connection_sync(community=world.a, connection_id=connection.pk, mode="resync")  # fails again: no new email
    assert outcome.status == "failed" and outcome.retry_in is None
    with community_scope(world.a.pk):
        connection.refresh_from_db()
        assert connection.status == ConnectionStatus.NEEDS_REAUTH
        assert "401" in connection.last_error
    # the managers are told once: the owner (alice) has a login; bob is a plain member
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert "needs to be reconnected" in mail.outbox[0].subject
