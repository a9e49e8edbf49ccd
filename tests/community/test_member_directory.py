"""The member directory's reads: the "active between" filters (decided from `last_active_at` and per-member index
probes) pick exactly the members an EXISTS over the stream picks, merged and erased records included; pages walk
their indexes under RLS; the channel list."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef

from community.models import Activity, Identity, Member, MemberStatus
from community.policy import Actor
from community.selectors.members import channel_list, member_directory, parse_moment
from community.services.activities import activity_ingest
from community.services.merges import member_merge, member_unmerge
from community.services.privacy import member_erase
from community.tenancy import community_scope
from tests.factories import add_member, owner_of

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _ingest(world, handle: str, days: list[int]) -> Member:
    items = [
        {
            "source": "github",
            "external_id": f"{handle}-{day}",
            "kind": "comment",
            "occurred_at": (T0 + timedelta(days=day, hours=12)).isoformat(),
            "identity": {"channel": "github", "external_id": f"person-{handle}", "handle": handle},
        }
        for day in days
    ]
    activity_ingest(community=world.a, items=items)
    return Member.objects.for_community(world.a).get(handle=handle)


def _by_exists(world, filters: dict) -> set[int]:
    """The reference: the directory's other filters plus EXISTS(an activity of the member in the window)."""
    active_from = parse_moment(filters.get("active_from"))
    active_to = parse_moment(filters.get("active_to"), end=True)
    others = {k: v for k, v in filters.items() if k not in ("active_from", "active_to")}
    activities = Activity.objects.for_community(world.a).filter(member=OuterRef("pk"))
    if active_from:
        activities = activities.filter(occurred_at__gte=active_from)
    if active_to:
        activities = activities.filter(occurred_at__lte=active_to)
    members = member_directory(community=world.a, filters=others).filter(Exists(activities))
    return set(members.values_list("pk", flat=True))


FILTERS = [
    {"active_from": "2026-03-05"},
    {"active_from": "2026-03-11"},
    {"active_from": "2026-03-30"},
    {"active_to": "2026-03-03"},
    {"active_from": "2026-03-04", "active_to": "2026-03-06"},
    {"active_from": "2026-03-07", "active_to": "2026-03-08"},
    {"active_from": "2026-03-09", "active_to": "2026-03-01"},
    {"active_from": "2026-03-05T12:00:00+00:00", "active_to": "2026-03-10T12:00:00+00:00"},
    {"active_from": "2026-03-01", "status": MemberStatus.MERGED},
    {"active_from": "2026-03-01", "status": MemberStatus.ERASED},
    {"active_to": "2026-03-30", "status": MemberStatus.ERASED},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()))
def test_active_filters_pick_the_same_members_as_an_exists_over_the_stream(world, filters):
    with community_scope(world.a.pk):
        owner = owner_of(world.a)
        actor = Actor(community=world.a, user_id=owner.user_id, member=owner)
        _ingest(world, "early", [0, 1, 2])
        _ingest(world, "gap", [0, 10])  # active before and after a window, not inside it
        _ingest(world, "steady", list(range(0, 12, 2)))
        _ingest(world, "late", [20])
        # Merged: its activities moved to the target, its last_active_at stays (history).
        target = _ingest(world, "target", [1])
        merged = _ingest(world, "merged", [15])
        member_merge(community=world.a, actor=actor, target=target, source=merged)
        # Merged then unmerged: everything recounted on both sides.
        kept = _ingest(world, "kept", [3])
        back = _ingest(world, "back", [6, 9])
        member_unmerge(
            community=world.a, actor=actor, merge=member_merge(community=world.a, actor=actor, target=kept, source=back)
        )
        # Erased: activities stay, anonymous; last_active_at stays on the erased record.
        erased = _ingest(world, "erased", [4, 25])
        member_erase(community=world.a, actor=actor, member=erased)
        add_member(world.a, None, display_name="Never active")

        expected = _by_exists(world, filters)
        got = set(member_directory(community=world.a, filters=filters).values_list("pk", flat=True))
        assert got == expected
        assert Member.objects.for_community(world.a).get(pk=merged.pk).last_active_at is not None


def test_active_since_filter_counts_through_the_paginator_like_the_page(world):
    """The paginator's COUNT and the page come from the same filter (no second path that could disagree)."""
    with community_scope(world.a.pk):
        for i in range(3):
            _ingest(world, f"p{i}", [i * 5])
        members = member_directory(community=world.a, filters={"active_from": "2026-03-05"})
        assert members.count() == len(list(members)) == 2


def test_directory_pages_walk_their_indexes_under_rls(world):
    """As the app role in the scope: the default order walks `member_last_active` (no sort of every member) and
    a window is probed per member through an activity index (no hash of the window's activities)."""
    with community_scope(world.a.pk):
        _ingest(world, "someone", [0, 3])
        with connection.cursor() as cursor:
            # Tiny tables: make any usable index cheaper than a scan or a sort, so the plan shows usability.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
        page = member_directory(community=world.a)[:50].explain()
        window = member_directory(community=world.a, filters={"active_from": "2026-03-02", "active_to": "2026-03-05"})
        window_plan = window[:50].explain()
    assert "member_last_active" in page and "Sort" not in page
    # A per-member probe (a SubPlan on an index), never a hash of the window's activities.
    assert "SubPlan" in window_plan and "Hash" not in window_plan and "Seq Scan" not in window_plan


def test_channel_list_gives_the_distinct_channels_in_order(world):
    with community_scope(world.a.pk):
        assert channel_list(community=world.a) == []
        for channel in ("slack", "github", "discord", "github"):
            activity_ingest(
                community=world.a,
                items=[
                    {
                        "source": channel,
                        "external_id": f"{channel}-{n}",
                        "kind": "comment",
                        "occurred_at": T0.isoformat(),
                        "identity": {"channel": channel, "external_id": f"{channel}-person-{n}", "handle": f"h{n}"},
                    }
                    for n in range(3)
                ],
            )
        distinct = Identity.objects.for_community(world.a).order_by("channel").values_list("channel", flat=True)
        assert channel_list(community=world.a) == list(distinct.distinct()) == ["discord", "github", "slack"]
    with community_scope(world.b.pk):
        assert channel_list(community=world.b) == []
