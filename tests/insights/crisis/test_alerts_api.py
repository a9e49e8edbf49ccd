"""GET /api/v1/alerts/ in the exact shape of the contract, its filters, acknowledge and resolve, the rules API,
scopes insights:read / insights:write, and B's alerts out of A's reach."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.tenancy import community_scope
from insights.models import AlertEvent, AlertRule
from tests.factories import make_api_key

from .conftest import make_alert

pytestmark = pytest.mark.django_db

FIELDS = {"id", "kind", "status", "channel", "raised_at", "updated_at", "window_start", "window_end", "observed",
          "expected", "summary", "activity_ids"}  # fmt: skip


def auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_the_list_answers_the_contracts_exact_shape(client, world):
    alert = make_alert(world.a, ids=(7, 3, 9))
    whole = make_alert(world.a, channel="", kind="volume", minutes_ago=5)
    body = client.get("/api/v1/alerts/", **auth(world.a_key)).json()
    assert set(body) == {"results", "next", "previous"} and body["next"] is None
    first, second = body["results"]
    assert set(first) == FIELDS
    assert first["id"] == alert.pk and first["kind"] == "sentiment" and first["status"] == "open"
    assert first["channel"] == "discord" and first["activity_ids"] == [7, 3, 9]
    assert first["observed"] == 64 and first["expected"] == 3
    assert first["summary"] == "Negative posts on Discord: 64 in the last hour, usually 3 ± 2"
    assert first["raised_at"].startswith(str(alert.raised_at.date())) and first["window_end"]
    assert second["id"] == whole.pk and second["channel"] is None  # the whole community


def test_filters_status_kind_channel_since(client, world):
    a1 = make_alert(world.a, minutes_ago=120)
    a2 = make_alert(world.a, kind="keyword", channel="github", status="acknowledged")
    a3 = make_alert(world.a, channel="", status="resolved", kind="volume")
    get = lambda q: [r["id"] for r in client.get(f"/api/v1/alerts/?{q}", **auth(world.a_key)).json()["results"]]  # noqa: E731
    assert get("status=open") == [a1.pk]
    assert get("status=acknowledged") == [a2.pk]
    assert get("kind=volume") == [a3.pk]
    assert get("channel=github") == [a2.pk]
    assert get("channel=none") == [a3.pk]
    since = (timezone.now() - timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    assert sorted(get(f"since={since}")) == sorted([a2.pk, a3.pk])


@pytest.mark.parametrize("query", ["status=closed", "kind=mood", "since=yesterday", "since=2026-12-01T10:00:00"])
def test_bad_filters_are_a_400_in_the_error_body(client, world, query):
    response = client.get(f"/api/v1/alerts/?{query}", **auth(world.a_key))
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_pages_follow_the_cursor(client, world):
    for minutes in range(3):
        make_alert(world.a, minutes_ago=minutes)
    body = client.get("/api/v1/alerts/?page_size=2", **auth(world.a_key)).json()
    assert len(body["results"]) == 2 and body["next"]
    rest = client.get(body["next"], **auth(world.a_key)).json()
    assert len(rest["results"]) == 1 and rest["next"] is None


@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_costs_the_same_queries_with_one_or_many_alerts(client, world, rows, django_assert_num_queries):
    for minutes in range(rows):
        make_alert(world.a, minutes_ago=minutes)
    with django_assert_num_queries(11):  # authentication, scope, policy and one page: the same for 1 or 30
        assert len(client.get("/api/v1/alerts/", **auth(world.a_key)).json()["results"]) == rows


def test_acknowledge_then_resolve_records_who_and_when(client, world):
    alert = make_alert(world.a)
    response = client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", **auth(world.a_key))
    assert response.status_code == 200 and set(response.json()) == FIELDS
    assert response.json()["status"] == "acknowledged"
    assert client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", **auth(world.a_key)).status_code == 200
    response = client.post(f"/api/v1/alerts/{alert.pk}/resolve/", {"note": "status page posted"},
                           content_type="application/json", **auth(world.a_key))  # fmt: skip
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    with community_scope(world.a.pk):
        events = list(AlertEvent.objects.for_community(world.a).filter(alert=alert).order_by("pk"))
    assert [(e.kind, e.text) for e in events] == [("acknowledged", ""), ("resolved", "status page posted")]
    again = client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", **auth(world.a_key))
    assert again.status_code == 409 or again.status_code == 400


def test_scopes_read_lists_write_acts(client, world):
    alert = make_alert(world.a)
    _, reader = make_api_key(world.a, scopes=["insights:read"])
    _, other = make_api_key(world.a, scopes=["members:read"])
    assert client.get("/api/v1/alerts/", **auth(reader)).status_code == 200
    assert client.get("/api/v1/alerts/", **auth(other)).status_code == 403
    assert client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", **auth(reader)).status_code == 403
    assert client.post("/api/v1/alert-rules/", {"kind": "volume"}, content_type="application/json",
                       **auth(reader)).status_code == 403  # fmt: skip
    with community_scope(world.a.pk):
        alert.refresh_from_db()
    assert alert.status == "open"  # the refusal changed nothing


def test_b_alerts_are_a_404_for_a(client, world):
    theirs = make_alert(world.b)
    assert client.get(f"/api/v1/alerts/{theirs.pk}/", **auth(world.a_key)).status_code == 404
    assert client.post(f"/api/v1/alerts/{theirs.pk}/resolve/", **auth(world.a_key)).status_code == 404
    assert client.get("/api/v1/alerts/", **auth(world.a_key)).json()["results"] == []
    with community_scope(world.b.pk):
        theirs.refresh_from_db()
    assert theirs.status == "open"


def test_rules_are_listed_with_the_defaults_and_managed(client, world):
    listed = client.get("/api/v1/alert-rules/", **auth(world.a_key)).json()["results"]
    assert sorted((r["kind"], r["window_minutes"]) for r in listed) == [
        ("keyword", 60), ("sentiment", 60), ("sentiment", 1440), ("volume", 60)]  # fmt: skip
    assert set(listed[0]) == {"id", "kind", "channel", "window_minutes", "thresholds", "keywords", "enabled",
                              "created_at"}  # fmt: skip
    created = client.post("/api/v1/alert-rules/", {"kind": "keyword", "channel": "discord", "window_minutes": 30,
                          "keywords": ["Panne  générale", "panne generale", "refund"], "thresholds": {"threshold": 3}},
                          content_type="application/json", **auth(world.a_key))  # fmt: skip
    assert created.status_code == 201, created.content
    rule = created.json()
    assert rule["keywords"] == ["Panne générale", "refund"] and rule["channel"] == "discord"
    changed = client.patch(f"/api/v1/alert-rules/{rule['id']}/", {"enabled": False, "thresholds": {"threshold": 8}},
                           content_type="application/json", **auth(world.a_key))  # fmt: skip
    assert changed.status_code == 200 and changed.json()["enabled"] is False
    assert changed.json()["thresholds"] == {"threshold": 8}
    assert client.delete(f"/api/v1/alert-rules/{rule['id']}/", **auth(world.a_key)).status_code == 204
    with community_scope(world.a.pk):
        assert not AlertRule.objects.for_community(world.a).filter(pk=rule["id"]).exists()


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "mood"},
        {"kind": "volume", "window_minutes": 2},
        {"kind": "volume", "window_minutes": 20000},
        {"kind": "volume", "thresholds": {"threshold": 3}},
        {"kind": "sentiment", "thresholds": {"z": "high"}},
        {"kind": "keyword", "keywords": []},
        {"kind": "keyword", "keywords": "refund"},
        {},
    ],
)
def test_bad_rules_are_a_400(client, world, body):
    response = client.post("/api/v1/alert-rules/", body, content_type="application/json", **auth(world.a_key))
    assert response.status_code == 400, response.content
