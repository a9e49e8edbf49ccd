"""The dashboard's figures on small fixed data sets; every expected number is worked out by hand in the comments.

tests/insights/dataset.py (New York time, with the late Mar 6 comment): members ann, bob, cat; mod is staff, botty
a bot. Local days: cat Mar 6 github; ann Mar 7 github + discord; bob Mar 8 github, Mar 9 github star; mod Mar 8;
botty Mar 8; cat Mar 9 discord message. Member ids grow in that order of arrival: ann < bob < mod < botty < cat.
"""

from datetime import UTC, date, datetime

import pytest

from community.tenancy import community_scope
from insights.selectors import (
    Period,
    channel_breakdown,
    churn_risk,
    dashboard_read,
    health_score,
    people_read,
    retention_cohorts,
    threads_read,
)
from insights.services.conversations import conversations_update
from insights.services.rollups import rollups_update
from tests.insights import dataset

MAR = {d: date(2026, 3, d) for d in range(1, 32)}


@pytest.fixture
def loaded(world):
    ids = dataset.load(world.a) + dataset.ingest(world.a, dataset.LATE)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
        conversations_update(community=world.a, activity_ids=ids)
    return world


def _names(people, rows):
    by_id = {v: k for k, v in people.items()}
    return [by_id[row["member_id"]] for row in rows]


def test_top_contributors_rising_members_and_who_came_back(loaded):
    people = dataset.member_ids(loaded.a)
    with community_scope(loaded.a.pk):
        # Mar 8-9 against Mar 6-7: now bob 2, cat 1, ann 0; before cat 1, ann 2.
        read = people_read(community=loaded.a, period=Period(MAR[8], MAR[9]))
        whole = people_read(community=loaded.a, period=Period(MAR[6], MAR[9]))
        github = people_read(community=loaded.a, period=Period(MAR[6], MAR[9], channel="github"))
        staff = people_read(community=loaded.a, period=Period(MAR[8], MAR[8], include_staff=True))
    assert _names(people, read["top_contributors"]) == ["bob", "cat"]
    assert [r["activities"] for r in read["top_contributors"]] == [2, 1]
    assert _names(people, read["rising_members"]) == ["bob"]  # cat 1 -> 1 is no growth, ann fell
    assert read["rising_members"][0]["change"] == 2
    assert (read["active_before"], read["returned"]) == (2, 1)  # ann and cat before; only cat again
    # Ties (2 each) go to the lower member id; staff and bots are left out.
    assert _names(people, whole["top_contributors"]) == ["ann", "bob", "cat"]
    assert _names(people, github["top_contributors"]) == ["bob", "ann", "cat"]  # github: bob 2, ann 1, cat 1
    assert _names(people, staff["top_contributors"]) == ["bob", "mod"]


def test_retention_by_weekly_cohort(loaded):
    with community_scope(loaded.a.pk):
        [cohort] = retention_cohorts(community=loaded.a, period=Period(MAR[6], MAR[9]))
        [with_staff] = retention_cohorts(community=loaded.a, period=Period(MAR[6], MAR[9], include_staff=True))
        [before_monday] = retention_cohorts(community=loaded.a, period=Period(MAR[6], MAR[8]))
    # First days Mar 6 (cat), 7 (ann), 8 (bob, a Sunday): all in the week of Monday Mar 2. Week 1 starts on
    # Monday Mar 9: bob and cat are active, 2 of 3. Week 2 (Mar 16) is after the period: blank.
    assert (cohort.week, cohort.size) == (MAR[2], 3)
    assert cohort.shares[:3] == [1.0, 0.6667, None]
    assert (with_staff.size, with_staff.shares[1]) == (4, 0.5)  # mod joins the cohort, not week 1
    assert before_monday.shares[:2] == [1.0, None]  # the period ends before week 1 starts


def _item(who: str, day: date, n: int, **extra) -> dict:
    at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return {
        "source": extra.pop("source", "forum"), "external_id": f"{who}-{day.isoformat()}-{n}", "kind": "comment",
        "occurred_at": at.isoformat(), "identity": {"channel": "forum", "external_id": who, "email": f"{who}@x.org",
                                                    "name": who.title()},
        **extra,
    }  # fmt: skip


def test_churn_risk_is_three_active_weeks_of_eight_then_three_silent(world):
    end = MAR[9]
    # Silent window: Feb 17 .. Mar 9 (21 days). The eight weeks before: Dec 23 .. Feb 16, week n = (end - day) // 7.
    days = {
        "dora": [date(2026, 2, 16), date(2026, 2, 9), date(2026, 2, 2)],  # weeks 3, 4, 5: at risk
        "eve": [date(2026, 2, 16), date(2026, 2, 15), date(2026, 2, 9)],  # weeks 3, 3, 4: two weeks only
        "finn": [date(2026, 2, 16), date(2026, 2, 9), date(2026, 2, 2), date(2026, 3, 1)],  # spoke Mar 1: not silent
        "gus": [date(2025, 12, 29), date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)],  # weeks 10, 9, 8, 7
        "hal": [date(2025, 12, 22), date(2025, 12, 29), date(2026, 1, 5)],  # Dec 22 is week 11: two weeks in range
    }
    items = [_item(who, day, n) for who, dates in days.items() for n, day in enumerate(dates)]
    ids = dataset.ingest_items(world.a, items)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
        risk = churn_risk(community=world.a, period=Period(date(2026, 2, 8), end))
        earlier = churn_risk(community=world.a, period=Period(date(2026, 2, 1), date(2026, 2, 20)))
    assert risk["count"] == 2
    assert [(m["name"], m["weeks_active"], m["last_day"]) for m in risk["members"]] == [
        ("Gus", 4, date(2026, 1, 19)),  # most active weeks first
        ("Dora", 3, date(2026, 2, 16)),
    ]
    # As of Feb 20 the silent window is Jan 31 .. Feb 20 (dora, eve and finn spoke in it) and the eight weeks are
    # Dec 6 .. Jan 30: gus in weeks 7, 6, 5, 4; hal's Dec 22, 29, Jan 5 are weeks 8, 7, 6 now, so hal joins.
    assert [(m["name"], m["weeks_active"]) for m in earlier["members"]] == [("Gus", 4), ("Hal", 3)]


def test_top_topics_and_tags_count_the_threads_activities_in_the_period(world):
    day = MAR[9]
    items = [
        _item(
            "ann", day, 1, kind="post", external_id="topic:1", title="Oven tips", extra={"tags": ["baking", "ovens"]}
        ),
        _item("bob", day, 2, parent_external_id="topic:1", body="x", sentiment={"score": -0.5}),
        _item("cat", day, 3, parent_external_id="topic:1", body="x", sentiment={"score": 0.2}),
        _item(
            "ann",
            day,
            4,
            kind="post",
            external_id="topic:2",
            title="Flour",
            extra={"tags": ["baking"]},
            body="x",
            sentiment={"score": -0.1},
        ),
        _item("botty", day, 5, parent_external_id="topic:2"),
        _item("bob", MAR[1], 6, parent_external_id="topic:1"),  # before the period
    ]
    items[4]["identity"]["bot"] = True
    ids = dataset.ingest_items(world.a, items)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
        read = threads_read(community=world.a, period=Period(MAR[2], MAR[9]))
        bots = threads_read(community=world.a, period=Period(MAR[2], MAR[9], include_bots=True))
    assert [(t["title"], t["activities"], t["people"]) for t in read["top_topics"]] == [
        ("Oven tips", 3, 3),
        ("Flour", 1, 1),
    ]
    assert read["top_tags"] == [{"tag": "baking", "activities": 4}, {"tag": "ovens", "activities": 3}]
    assert [(t["title"], t["activities"]) for t in bots["top_topics"]] == [("Oven tips", 3), ("Flour", 2)]
    assert bots["top_tags"][0] == {"tag": "baking", "activities": 5}
    # Sentiment: topic 1 mean(-0.5, 0.2) = -0.15 over 2 scored; topic 2 -0.1 over 1: topic 1 is the more negative.
    assert [(t["title"], t["sentiment_mean"], t["scored"]) for t in read["negative_topics"]] == [
        ("Oven tips", -0.15, 2),
        ("Flour", -0.1, 1),
    ]


def test_channel_breakdown(loaded):
    with community_scope(loaded.a.pk):
        rows = channel_breakdown(community=loaded.a, period=Period(MAR[6], MAR[9]))
    # github: cat, ann, bob twice = 4 by 3 members; discord: ann, cat = 2 by 2.
    assert rows == [
        {"channel": "github", "activities": 4, "active_members": 3},
        {"channel": "discord", "activities": 2, "active_members": 2},
    ]


def test_health_score_parts_hand_computed(loaded):
    with community_scope(loaded.a.pk):
        data = dashboard_read(community=loaded.a, period=Period(MAR[8], MAR[9]))
    parts = {p["name"]: p["points"] for p in data["health"]["parts"]}
    # growth: 2 active (bob, cat) against 2 (ann, cat): flat = 10.
    # activity: stickiness = mean(Mar 8: 1/3, Mar 9: 2/3) = 0.5, 20 x 0.5 / 0.2 clipped to 20.
    # responsiveness: one conversation (cat's Mar 9 message), unanswered: 10 x 0 + 0 = 0.
    # retention: 1 of the 2 earlier active members came back: 20 x 1/2 = 10.
    # sentiment: mean(0.2, -0.6) = -0.2: 20 x 0.8 / 2 = 8.
    assert parts == {"growth": 10.0, "activity": 20.0, "responsiveness": 0.0, "retention": 10.0, "sentiment": 8.0}
    assert data["health"]["score"] == 48


def test_health_score_formula_edges():
    base = {"stickiness": 0.1, "response_rate": 0.5, "response_time": 12 * 3600, "returned": 3, "sentiment_mean": 0.5}
    score = health_score(active=15, active_before=10, **base)
    # growth 10 + 10 x 0.5 / 0.5 = 20; activity 20 x 0.1 / 0.2 = 10; responsiveness 5 + 10 x 0.75 = 12.5;
    # retention 20 x 3 / 10 = 6; sentiment 20 x 1.5 / 2 = 15: 63.5, rounded to 64 (half to even: 63.5 -> 64).
    assert [p["points"] for p in score["parts"]] == [20.0, 10.0, 12.5, 6.0, 15.0] and score["score"] == 64
    falling = health_score(active=4, active_before=10, **base)
    assert falling["parts"][0]["points"] == 0.0  # -60 % is past -50 %
    empty = health_score(
        active=0, active_before=0, stickiness=0.0, response_rate=None, response_time=None, returned=0,
        sentiment_mean=None,
    )  # fmt: skip
    assert [p["points"] for p in empty["parts"]] == [10.0, 0.0, 0.0, 0.0, 10.0] and empty["score"] == 20


def test_kpis_change_against_the_previous_period(loaded):
    with community_scope(loaded.a.pk):
        data = dashboard_read(community=loaded.a, period=Period(MAR[8], MAR[9]))
    kpis = {k["name"]: (k["value"], k["previous"], k["change"]["value"]) for k in data["kpis"]}
    assert kpis["activities"] == (3, 3, 0.0)  # Mar 8-9: 1 + 2; Mar 6-7: 1 + 2
    assert kpis["new_members"] == (1, 2, -50.0)  # bob; before: cat and ann
    assert kpis["active_members"] == (2, 2, 0.0)
    assert kpis["sentiment_mean"][:2] == (-0.2, 0.066667)  # before: (0.1 + 0.5 - 0.4) / 3
    assert kpis["sentiment_mean"][2] == -0.27
