"""The feedback API: boards and ideas by the key's or the session's community, filters, status changes, votes (own
and on behalf of a member id), merge, evidence; refusals for boards one may not read and for missing scopes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Activity
from community.tenancy import community_scope
from discussions.models import Notification
from feedback.models import Evidence, Idea, Vote
from feedback.services.votes import vote_cast
from tests.discussions.conftest import actor_for
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db


def key_auth(m, scopes=None):
    _, secret = make_api_key(m.a, scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_boards_list_what_the_key_may_read(client, fb):
    response = client.get("/api/v1/boards/", **key_auth(fb, ["feedback:read"]))
    assert response.status_code == 200
    assert {b["slug"] for b in response.json()} == {"feature-requests", "bugs"}  # not the staff board


def test_ideas_filter_by_board_status_and_search(client, fb):
    m = fb
    dark = m.post(m.bob, "Dark mode", "night theme")
    m.post(m.bob, "CSV export", "spreadsheets", board=m.members_board)
    auth = key_auth(m, ["feedback:read"])
    titles = lambda q: [i["title"] for i in client.get(f"/api/v1/ideas/{q}", **auth).json()["results"]]  # noqa: E731
    assert set(titles("")) == {"Dark mode", "CSV export"}
    assert titles("?board=feature-requests") == ["Dark mode"]
    assert titles(f"?board={m.members_board.pk}") == ["CSV export"]
    assert titles("?search=spreadsheet") == ["CSV export"]
    assert titles("?status=open") == ["Dark mode", "CSV export"] or set(titles("?status=open")) == {
        "Dark mode",
        "CSV export",
    }
    assert titles("?status=shipped") == []
    assert client.get("/api/v1/ideas/?status=nope", **auth).status_code == 400
    assert client.get("/api/v1/ideas/?board=nope", **auth).status_code == 400
    detail = client.get(f"/api/v1/ideas/{dark.pk}/", **auth).json()
    assert detail["status"]["key"] == "open" and detail["vote_count"] == 0


def test_the_ideas_list_costs_the_same_with_one_and_many(client, fb):
    m = fb
    auth = key_auth(m, ["feedback:read"])
    m.post(m.bob, "One")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/ideas/", **auth).status_code == 200
        return len(ctx.captured_queries)

    count()  # the key's first use writes its last-used time once
    one = count()
    for i in range(8):
        m.post(m.carol, f"Idea {i}")
    assert count() == one


def test_a_key_votes_on_behalf_of_a_member_id_and_the_vote_counts_once(client, fb):
    m = fb
    idea = m.post(m.bob)
    auth = key_auth(m, ["feedback:write"])
    path = f"/api/v1/ideas/{idea.pk}/votes/"
    first = client.post(
        path, {"member_id": m.dan.pk, "importance": "critical"}, content_type="application/json", **auth
    )
    again = client.post(path, {"member_id": m.dan.pk}, content_type="application/json", **auth)
    assert first.status_code == 201 and first.json()["on_behalf"] is True and first.json()["vote_count"] == 1
    assert again.status_code == 200 and again.json()["created"] is False
    # A key has no member of its own: without member_id it cannot vote.
    assert client.post(path, {}, content_type="application/json", **auth).status_code == 403
    gone = client.delete(path, {"member_id": m.dan.pk}, content_type="application/json", **auth)
    assert gone.status_code == 200 and gone.json()["removed"] is True
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=idea.pk).vote_count == 0


def test_a_read_key_cannot_vote_on_behalf_nor_change_status(client, fb):
    m = fb
    idea = m.post(m.bob)
    auth = key_auth(m, ["feedback:read"])
    voted = client.post(
        f"/api/v1/ideas/{idea.pk}/votes/", {"member_id": m.dan.pk}, content_type="application/json", **auth
    )
    changed = client.post(
        f"/api/v1/ideas/{idea.pk}/status/", {"status": "planned"}, content_type="application/json", **auth
    )
    assert voted.status_code == 403 and changed.status_code == 403
    with community_scope(m.a.pk):
        idea.refresh_from_db()
        assert idea.vote_count == 0 and idea.status.key == "open"


def test_a_member_votes_through_the_session_but_not_on_a_staff_board(client, fb):
    m = fb
    public, internal = m.post(m.bob), m.post(m.mia, "Internal", board=m.staff_board)
    client.force_login(m.carol.user)
    base = f"/api/v1/c/{m.a.slug}/ideas/"
    assert client.post(f"{base}{public.pk}/votes/", {}, content_type="application/json").status_code == 201
    assert client.post(f"{base}{internal.pk}/votes/", {}, content_type="application/json").status_code == 404
    assert client.get(f"{base}{internal.pk}/").status_code == 404
    assert internal.pk not in [i["id"] for i in client.get(base).json()["results"]]
    # and a member cannot vote for someone else
    other = client.post(f"{base}{public.pk}/votes/", {"member_id": m.dan.pk}, content_type="application/json")
    assert other.status_code == 403
    with community_scope(m.a.pk):
        assert list(Vote.objects.for_community(m.a).values_list("member_id", flat=True)) == [m.carol.pk]


def test_status_change_through_the_api_notifies_voters_and_followers(client, fb):
    m = fb
    idea = m.post(m.bob)
    with community_scope(m.a.pk):
        vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    auth = key_auth(m, ["feedback:write"])
    response = client.post(f"/api/v1/ideas/{idea.pk}/status/", {"status": "shipped", "response": "Out today!"},
                           content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["status"]["key"] == "shipped" and response.json()["staff_response"] == "Out today!"
    with community_scope(m.a.pk):
        recipients = set(
            Notification.objects.for_community(m.a).filter(kind="status").values_list("recipient_id", flat=True)
        )
    assert recipients == {m.bob.pk, m.carol.pk}
    bad = client.post(f"/api/v1/ideas/{idea.pk}/status/", {"status": "nope"}, content_type="application/json", **auth)
    assert bad.status_code == 400


def test_merge_and_evidence_through_the_api(client, fb):
    m = fb
    target, source = m.post(m.bob, "Dark mode"), m.post(m.carol, "Night theme")
    with community_scope(m.a.pk):
        for who in (m.dan, m.alice):
            vote_cast(community=m.a, actor=actor_for(m.a, who), idea=source)
        vote_cast(community=m.a, actor=actor_for(m.a, m.dan), idea=target)
        activity = Activity.objects.create(
            community=m.a, member=m.dan, kind="message", channel="slack", source="slack", external_id="s9",
            occurred_at="2026-12-01T10:00Z", title="dark please", url="https://slack.example.com/x",
        )  # fmt: skip
    auth = key_auth(m, ["feedback:write", "discussions:write"])
    merged = client.post(
        f"/api/v1/ideas/{source.pk}/merge/", {"into": target.pk}, content_type="application/json", **auth
    )
    assert merged.status_code == 200, merged.content
    assert merged.json()["vote_count"] == 2
    assert client.post(f"/api/v1/ideas/{source.pk}/merge/", {"into": target.pk}, content_type="application/json",
                       **auth).status_code == 404  # fmt: skip
    added = client.post(f"/api/v1/ideas/{target.pk}/evidence/", {"activity_id": activity.pk},
                        content_type="application/json", **auth)  # fmt: skip
    assert added.status_code == 201 and added.json()["channel"] == "slack"
    listed = client.get(f"/api/v1/ideas/{target.pk}/evidence/", **auth).json()
    assert [e["activity_id"] for e in listed] == [activity.pk]
    missing = client.post(f"/api/v1/ideas/{target.pk}/evidence/", {"activity_id": 99999999},
                          content_type="application/json", **auth)  # fmt: skip
    assert missing.status_code == 404
    with community_scope(m.a.pk):
        assert Evidence.objects.for_community(m.a).count() == 1


def test_bad_input_is_a_json_400_never_a_500(client, fb):
    m = fb
    idea = m.post(m.bob)
    auth = key_auth(m, ["feedback:write"])
    cases = [
        (f"/api/v1/ideas/{idea.pk}/votes/", {"member_id": "x"}),
        (f"/api/v1/ideas/{idea.pk}/votes/", {"member_id": m.dan.pk, "importance": "huge"}),
        (f"/api/v1/ideas/{idea.pk}/votes/", {"memberid": m.dan.pk}),
        (f"/api/v1/ideas/{idea.pk}/status/", {"status": ["shipped"]}),
        (f"/api/v1/ideas/{idea.pk}/merge/", {"into": 10**30}),
        (f"/api/v1/ideas/{idea.pk}/evidence/", {"activity_id": None}),
    ]
    for path, body in cases:
        response = client.post(path, body, content_type="application/json", **auth)
        assert response.status_code == 400, (path, body, response.content)
        assert set(response.json()) == {"error"}
    assert client.get("/api/v1/ideas/?board=%C2%B2", **auth).status_code == 400
    assert client.post(f"/api/v1/ideas/{idea.pk}/merge/", {"into": idea.pk}, content_type="application/json",
                       **auth).status_code == 400  # fmt: skip


def test_a_member_posts_an_idea_through_the_api_and_a_key_cannot(client, fb):
    m = fb
    client.force_login(m.carol.user)
    base = f"/api/v1/c/{m.a.slug}/ideas/"
    body = {"board": m.board.slug, "title": "Webhooks for ideas", "body": "So we can sync", "tags": ["api"]}
    created = client.post(base, body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["title"] == "Webhooks for ideas" and created.json()["tags"] == ["api"]
    staff = client.post(base, {**body, "board": m.staff_board.slug}, content_type="application/json")
    assert staff.status_code == 400 and staff.json()["error"]["fields"] is not None
    client.logout()
    keyed = client.post("/api/v1/ideas/", body, content_type="application/json", **key_auth(m))
    assert keyed.status_code == 403
    with community_scope(m.a.pk):
        assert Idea.objects.for_community(m.a).count() == 1
