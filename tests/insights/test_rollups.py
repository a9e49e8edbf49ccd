"""Rollups: member-days and day aggregates in the community's local days, incremental equal to a rebuild."""

from datetime import date

import pytest

from community.models import Member
from community.tenancy import community_scope
from insights.models import DayStat, MemberDay, MemberFirstDay
from insights.services.rollups import rollups_rebuild, rollups_update, timezone_validate
from tests.insights import dataset

MAR = {d: date(2026, 3, d) for d in range(1, 32)}


def _stats(community, channel=""):
    """{(day, audience): (activities, active, new, active_30d, sentiment_sum, sentiment_count, negative)}."""
    with community_scope(community.pk):
        rows = DayStat.objects.for_community(community).filter(channel=channel)
        return {
            (r.day, r.audience): (r.activities, r.active_members, r.new_members, r.active_members_30d,
                                  round(r.sentiment_sum, 6), r.sentiment_count, r.negative_count)
            for r in rows if r.day <= MAR[10]
        }  # fmt: skip


def _tables(community):
    with community_scope(community.pk):
        return (
            sorted(MemberDay.objects.for_community(community).values_list(
                "member_id", "day", "channel", "audience", "activities", "kinds", "sentiment_count", "negative_count")),
            sorted(MemberFirstDay.objects.for_community(community).values_list("member_id", "first_day")),
            sorted(DayStat.objects.for_community(community).values_list(
                "day", "channel", "audience", "activities", "active_members", "new_members", "active_members_30d",
                "sentiment_count", "negative_count")),
        )  # fmt: skip


@pytest.fixture
def loaded(world):
    ids = dataset.load(world.a)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    return world


def test_member_days_are_local_days_with_kind_counts_and_audiences(loaded):
    people = dataset.member_ids(loaded.a)
    with community_scope(loaded.a.pk):
        rows = {
            (r.member_id, r.day, r.channel): (r.audience, r.activities, r.kinds)
            for r in MemberDay.objects.for_community(loaded.a)
        }
    assert rows == {
        # ann's 23:30 message is Mar 7 in New York although Mar 8 in UTC
        (people["ann"], MAR[7], "github"): ("member", 1, {"comment": 1}),
        (people["ann"], MAR[7], "discord"): ("member", 1, {"message": 1}),
        (people["bob"], MAR[8], "github"): ("member", 1, {"comment": 1}),
        # 04:30 UTC on Mar 9 is 00:30 EDT: after the DST change the offset is -4, so it is Mar 9
        (people["bob"], MAR[9], "github"): ("member", 1, {"star": 1}),
        (people["mod"], MAR[8], "github"): ("staff", 1, {"comment": 1}),
        (people["botty"], MAR[8], "github"): ("bot", 1, {"comment": 1}),
        (people["cat"], MAR[9], "discord"): ("member", 1, {"message": 1}),
    }


def test_day_aggregates_by_audience_hand_computed(loaded):
    stats = _stats(loaded.a)
    # (activities, active, new, active in the 30 days up to the day, sentiment sum, scored, negative)
    assert stats[(MAR[7], "member")] == (2, 1, 1, 1, 0.1, 2, 1)
    assert stats[(MAR[8], "member")] == (1, 1, 1, 2, 0.2, 1, 0)
    assert stats[(MAR[8], "staff")] == (1, 1, 1, 1, -0.9, 1, 1)
    assert stats[(MAR[8], "bot")] == (1, 1, 1, 1, 0.9, 1, 0)
    assert stats[(MAR[9], "member")] == (2, 2, 1, 3, -0.6, 1, 1)  # cat is new on Mar 9 (for now)
    assert stats[(MAR[10], "member")] == (0, 0, 0, 3, 0.0, 0, 0)  # nobody active, three in the window
    assert (MAR[6], "member") not in stats
    github = _stats(loaded.a, channel="github")
    assert github[(MAR[7], "member")] == (1, 1, 1, 1, 0.5, 1, 0)
    assert github[(MAR[9], "member")] == (1, 1, 0, 2, 0.0, 0, 0)  # bob's star; bob is new on Mar 8


def test_a_back_dated_arrival_moves_the_new_member_and_the_windows(loaded):
    [late] = dataset.ingest(loaded.a, dataset.LATE)
    with community_scope(loaded.a.pk):
        rollups_update(community=loaded.a, activity_ids=[late])
        first = dict(MemberFirstDay.objects.for_community(loaded.a).values_list("member_id", "first_day"))
    stats = _stats(loaded.a)
    assert first[dataset.member_ids(loaded.a)["cat"]] == MAR[6]
    assert stats[(MAR[6], "member")] == (1, 1, 1, 1, 0.1, 1, 0)
    assert stats[(MAR[7], "member")] == (2, 1, 1, 2, 0.1, 2, 1)  # cat now in Mar 7's window
    assert stats[(MAR[9], "member")] == (2, 2, 0, 3, -0.6, 1, 1)  # cat no longer new on Mar 9


def test_incremental_equals_a_rebuild_after_late_and_duplicate_arrivals(loaded):
    [late] = dataset.ingest(loaded.a, dataset.LATE)
    again = dataset.ingest(loaded.a, dataset.ROWS[:3])  # duplicates: stored already, and announced again here
    with community_scope(loaded.a.pk):
        rollups_update(community=loaded.a, activity_ids=[late])
        rollups_update(community=loaded.a, activity_ids=again)
    incremental = _tables(loaded.a)
    with community_scope(loaded.a.pk):
        MemberDay.objects.for_community(loaded.a).delete()
        MemberFirstDay.objects.for_community(loaded.a).delete()
        DayStat.objects.for_community(loaded.a).delete()
        rollups_rebuild(community=loaded.a, start=MAR[1], end=MAR[31])
    assert _tables(loaded.a) == incremental
    assert incremental[0] and incremental[2]


def test_a_rebuild_picks_up_a_role_change(loaded):
    people = dataset.member_ids(loaded.a)
    with community_scope(loaded.a.pk):
        Member.objects.for_community(loaded.a).filter(pk=people["bob"]).update(tags=["team"])
        rollups_rebuild(community=loaded.a, start=MAR[1], end=MAR[31])
    stats = _stats(loaded.a)
    assert stats[(MAR[8], "staff")][:3] == (2, 2, 2)  # mod and bob
    assert stats[(MAR[8], "member")][:4] == (0, 0, 0, 1)  # only ann, in the window


def test_rollup_cost_does_not_depend_on_the_batch(world, django_assert_num_queries):
    dataset.load(world.a)
    for rows in (dataset.ROWS[:1], dataset.ROWS):
        ids = dataset.ingest(world.a, rows)
        with community_scope(world.a.pk), django_assert_num_queries(5):
            rollups_update(community=world.a, activity_ids=ids)


def test_rollups_run_under_the_communitys_scope_only(loaded):
    ids = dataset.ingest(loaded.a, dataset.ROWS + dataset.LATE)
    before = _tables(loaded.a)
    with community_scope(loaded.b.pk):
        assert rollups_update(community=loaded.a, activity_ids=ids) == 0  # A's activities are invisible
    assert _tables(loaded.a) == before  # the late row was not rolled up


def test_an_unknown_time_zone_is_refused():
    from community.errors import ServiceError

    assert timezone_validate("Europe/Lisbon") == "Europe/Lisbon"
    with pytest.raises(ServiceError):
        timezone_validate("Mars/Olympus")


def test_utc_is_the_default_day(world):
    ids = dataset.load(world.a, timezone="")
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    stats = _stats(world.a)
    # In UTC ann's 04:30 message is Mar 8, so Mar 7 has one activity and Mar 8 two.
    assert stats[(MAR[7], "member")][:2] == (1, 1)
    assert stats[(MAR[8], "member")][:2] == (2, 2)


def test_the_worker_listener_rolls_up_what_the_activity_api_stores(client, world, eager_celery,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    world.a.settings = {"timezone": dataset.TIMEZONE}
    world.a.save(update_fields=["settings"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.a_key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/activities/bulk/", dataset.items(dataset.ROWS), content_type="application/json",
                               **auth)  # fmt: skip
    assert response.status_code == 200
    stats = _stats(world.a)
    # mod is not a moderator here (nobody promoted them), so they count as a member on Mar 8
    assert stats[(MAR[7], "member")] == (2, 1, 1, 1, 0.1, 2, 1)
    assert stats[(MAR[8], "member")][:3] == (2, 2, 2)
    assert stats[(MAR[8], "bot")][:3] == (1, 1, 1)


def test_changing_the_time_zone_rebuilds_every_day_in_the_worker(world, eager_celery,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    from community.policy import Actor
    from insights.services.settings import insights_timezone_set
    from tests.factories import owner_of

    ids = dataset.load(world.a, timezone="UTC")
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    assert _stats(world.a)[(MAR[7], "member")][:2] == (1, 1)
    owner = owner_of(world.a)
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
        insights_timezone_set(community=world.a, actor=Actor(community=world.a, user_id=owner.user_id, member=owner),
                              timezone=dataset.TIMEZONE)  # fmt: skip
    world.a.refresh_from_db()
    assert world.a.settings["timezone"] == dataset.TIMEZONE
    assert _stats(world.a)[(MAR[7], "member")] == (2, 1, 1, 1, 0.1, 2, 1)  # New York days now


def test_the_rebuild_command_restores_lost_rollups(loaded):
    from io import StringIO

    from django.core.management import call_command

    expected = _tables(loaded.a)
    with community_scope(loaded.a.pk):
        DayStat.objects.for_community(loaded.a).filter(day=MAR[8]).delete()
        MemberDay.objects.for_community(loaded.a).filter(day=MAR[9]).delete()
    out = StringIO()
    call_command("rebuild_rollups", "--community", loaded.a.slug, "--start", "2026-03-01", "--end", "2026-03-31",
                 stdout=out)  # fmt: skip
    assert _tables(loaded.a) == expected
    assert "7 member-days" in out.getvalue()
