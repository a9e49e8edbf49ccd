"""Moderation's figures on the insights dashboard (issue 15): computed by hand here from rows we wrote, shown to
those who may see the queue, never on a share link, in a fixed number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import Role
from community.tenancy import community_scope
from insights.models import DashboardShare
from insights.services.sharing import share_token
from moderation.models import Flag, ItemStatus, LogEntry, QueueItem
from moderation.selectors import moderation_figures
from tests.factories import add_member, make_user

HELD = ["spam 0.93 ≥ hold level 0.80"]


def _item(world, n, *, status=ItemStatus.OPEN, opened_ago, decided_after=None, source="scorer", reasons=HELD):
    now = timezone.now()
    item = QueueItem.objects.create(
        community=world.a, subject_kind="activity", subject_id=1000 + n, source=source, reasons=reasons, status=status,
    )  # fmt: skip
    created = now - opened_ago
    resolved = created + decided_after if decided_after is not None else None
    QueueItem.objects.filter(pk=item.pk).update(created_at=created, resolved_at=resolved)
    return item


def _world_of_decisions(world):
    mia = add_member(world.a, make_user("mia@example.com"), role=Role.MODERATOR, display_name="mia")
    hour = timedelta(hours=1)
    with community_scope(world.a.pk):
        _item(world, 1, opened_ago=5 * hour)  # open, the oldest
        _item(world, 2, opened_ago=1 * hour)  # open
        _item(world, 3, status=ItemStatus.APPROVED, opened_ago=10 * hour, decided_after=2 * hour)  # held, approved
        _item(world, 4, status=ItemStatus.REJECTED, opened_ago=10 * hour, decided_after=4 * hour)  # held, removed
        _item(
            world,
            5,
            status=ItemStatus.APPROVED,
            opened_ago=10 * hour,
            decided_after=6 * hour,
            source="flag",
            reasons=[],
        )
        _item(world, 6, status=ItemStatus.APPROVED, opened_ago=40 * 24 * hour, decided_after=hour)  # before the period
        for n, reason in enumerate(["spam", "spam", "abuse"]):
            Flag.objects.create(community=world.a, subject_kind="topic", subject_id=n, reporter=mia, reason=reason)
        for action in ("queue.approve", "queue.reject", "sanction.warn"):
            LogEntry.objects.create(community=world.a, actor_member_id=mia.pk, actor_label="mia", action=action)
        LogEntry.objects.create(community=world.a, actor_label="hearth-spam@2", action="queue.open")  # the scorer
    return mia


def test_the_figures_match_a_hand_count(world):
    _world_of_decisions(world)
    now = timezone.now()
    with community_scope(world.a.pk):
        figures = moderation_figures(community=world.a, since=now - timedelta(days=30), until=now, now=now)
    assert figures["open_now"] == 2 and round(figures["oldest_open_seconds"] / 3600) == 5
    assert figures["opened"] == 5 and figures["decided"] == 3
    assert figures["median_first_action_seconds"] == 4 * 3600  # median of 2, 4 and 6 hours
    assert figures["flags_by_reason"] == [
        {"reason": "Spam", "count": 2},
        {"reason": "Abusive or harassing", "count": 1},
    ]
    assert figures["actions_by_moderator"] == [{"name": "mia", "count": 3}]  # the scorer's opening is not a person's
    assert figures["auto_held_decided"] == 2 and figures["auto_held_approved_share"] == 0.5


def test_an_empty_community_has_no_figures_to_divide(world):
    now = timezone.now()
    with community_scope(world.b.pk):
        figures = moderation_figures(community=world.b, since=now - timedelta(days=30), until=now, now=now)
    assert figures["open_now"] == 0 and figures["oldest_open_seconds"] is None
    assert figures["median_first_action_seconds"] is None and figures["auto_held_approved_share"] is None


def test_the_dashboard_shows_them_to_staff_and_a_share_link_does_not(client, world):
    _world_of_decisions(world)
    client.force_login(world.alice)
    page = client.get("/c/alpha/manage/insights/").content.decode()
    assert 'id="moderation-figures"' in page and "Held by the screen, then approved" in page
    assert "50 %" in page and "4 h 00 min" in page and "mia" in page and 'data-chart="moderation_flags"' in page
    assert client.post("/c/alpha/manage/insights/shares/", {"label": "Board", "days_valid": 7}).status_code == 302
    with community_scope(world.a.pk):
        share = DashboardShare.objects.for_community(world.a).latest("created_at")
    client.logout()
    shared = client.get(f"/c/alpha/insights/shared/{share_token(share)}/").content.decode()
    assert "Sentiment" in shared and 'id="moderation-figures"' not in shared and "mia" not in shared


def test_the_dashboard_costs_the_same_queries_with_one_or_many_moderation_rows(client, world):
    client.force_login(world.alice)
    client.get("/c/alpha/manage/insights/")  # warm the caches (sessions, registry)
    with CaptureQueriesContext(connection) as empty:
        client.get("/c/alpha/manage/insights/")
    _world_of_decisions(world)
    with community_scope(world.a.pk):
        for n in range(40):
            _item(world, 100 + n, opened_ago=timedelta(minutes=n))
    with CaptureQueriesContext(connection) as full:
        client.get("/c/alpha/manage/insights/")
    assert len(full) == len(empty)


def test_the_api_answers_the_same_figures_for_a_period_and_refuses_bad_dates(client, world):
    _world_of_decisions(world)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.a_key}"}
    body = client.get("/api/v1/moderation/figures/", **auth).json()
    assert body["open_now"] == 2 and body["decided"] == 3 and body["auto_held_approved_share"] == 0.5
    assert body["median_first_action_seconds"] == 4 * 3600 and body["actions_by_moderator"] == [
        {"count": 3, "name": "mia"}
    ]
    old = client.get("/api/v1/moderation/figures/?since=2020-01-01&until=2020-01-31", **auth).json()
    assert (
        old["decided"] == 0 and old["flags_by_reason"] == [] and old["open_now"] == 2
    )  # open now, whatever the period
    bad = client.get("/api/v1/moderation/figures/?since=yesterday", **auth)
    assert bad.status_code == 400 and "since" in bad.json()["error"]["fields"]
    backwards = client.get("/api/v1/moderation/figures/?since=2026-02-01&until=2026-01-01", **auth)
    assert backwards.status_code == 400
