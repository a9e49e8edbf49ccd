"""The metrics API on the hand-written data set (tests/insights/dataset.py): every number below is worked by hand."""

import pytest

from community.models import Member, Role
from community.tenancy import community_scope
from insights.services.rollups import rollups_update
from tests.factories import make_api_key
from tests.insights import dataset


@pytest.fixture
def loaded(world):
    ids = dataset.load(world.a) + dataset.ingest(world.a, dataset.LATE)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    return world


def _get(client, key, path):
    return client.get(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {key}")


def _metric(client, world, name, query="start=2026-03-06&end=2026-03-09", key=None):
    response = _get(client, key or world.a_key, f"metrics/{name}/?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    return [(p["date"], p["value"]) for p in body["series"]], body["total"], body


DAYS = ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"]


def test_activities_by_local_day_without_staff_and_bots(client, loaded):
    series, total, body = _metric(client, loaded, "activities")
    assert series == list(zip(DAYS, [1, 2, 1, 2], strict=True)) and total == 6
    assert set(body) == {"metric", "interval", "start", "end", "timezone", "definition", "series", "total"}
    assert (body["metric"], body["interval"], body["start"], body["end"], body["timezone"]) == (
        "activities", "day", "2026-03-06", "2026-03-09", "America/New_York"
    )  # fmt: skip
    assert "Staff" in body["definition"]


def test_staff_and_bots_count_when_asked(client, loaded):
    assert _metric(client, loaded, "activities", "start=2026-03-08&end=2026-03-08&include_staff=true")[1] == 2
    assert _metric(client, loaded, "activities", "start=2026-03-08&end=2026-03-08&include_bots=1")[1] == 2
    both = "start=2026-03-06&end=2026-03-09&include_staff=true&include_bots=true"
    assert _metric(client, loaded, "activities", both)[1] == 8
    assert _metric(client, loaded, "active_members", both)[1] == 5
    assert _metric(client, loaded, "new_members", both)[0][2] == ("2026-03-08", 3)  # bob, mod, botty


def test_active_and_new_members(client, loaded):
    series, total, _ = _metric(client, loaded, "active_members")
    assert series == list(zip(DAYS, [1, 1, 1, 2], strict=True)) and total == 3  # cat, ann, bob
    series, total, _ = _metric(client, loaded, "new_members")
    # cat's back-dated Mar 6 comment makes Mar 6 her first day, not Mar 9
    assert series == list(zip(DAYS, [1, 1, 1, 0], strict=True)) and total == 3


def test_stickiness_is_the_days_active_over_its_30_day_window(client, loaded):
    series, total, _ = _metric(client, loaded, "stickiness")
    assert series == list(zip(DAYS, [1.0, 0.5, 0.333333, 0.666667], strict=True))
    assert total == 0.625  # (1 + 1/2 + 1/3 + 2/3) / 4
    series, total, _ = _metric(client, loaded, "stickiness", "start=2026-03-10&end=2026-03-11")
    assert series == [("2026-03-10", 0.0), ("2026-03-11", 0.0)] and total == 0.0


def test_sentiment_mean_and_negative_share(client, loaded):
    series, total, _ = _metric(client, loaded, "sentiment_mean")
    assert series == list(zip(DAYS, [0.1, 0.05, 0.2, -0.6], strict=True))
    assert total == -0.04  # (0.1 + 0.5 - 0.4 + 0.2 - 0.6) / 5; bob's star has no score
    series, total, _ = _metric(client, loaded, "negative_share")
    assert series == list(zip(DAYS, [0.0, 0.5, 0.0, 1.0], strict=True)) and total == 0.4
    staff = _metric(client, loaded, "sentiment_mean", "start=2026-03-08&end=2026-03-08&include_staff=true")
    assert staff[1] == -0.35  # (0.2 - 0.9) / 2


def test_weeks_start_on_monday_and_months_on_the_first(client, loaded):
    series, total, _ = _metric(client, loaded, "activities", "start=2026-03-06&end=2026-03-09&interval=week")
    assert series == [("2026-03-02", 4), ("2026-03-09", 2)] and total == 6
    series, total, _ = _metric(client, loaded, "active_members", "start=2026-03-06&end=2026-03-09&interval=week")
    assert series == [("2026-03-02", 3), ("2026-03-09", 2)] and total == 3
    series, total, _ = _metric(client, loaded, "activities", "start=2026-02-20&end=2026-03-31&interval=month")
    assert series == [("2026-02-01", 0), ("2026-03-01", 6)] and total == 6


def test_empty_days_are_zero_and_ratios_null(client, loaded):
    series, total, _ = _metric(client, loaded, "activities", "start=2026-03-04&end=2026-03-06")
    assert series == [("2026-03-04", 0), ("2026-03-05", 0), ("2026-03-06", 1)] and total == 1
    series, total, _ = _metric(client, loaded, "sentiment_mean", "start=2026-03-04&end=2026-03-05")
    assert series == [("2026-03-04", None), ("2026-03-05", None)] and total is None


def test_one_channel(client, loaded):
    series, total, _ = _metric(client, loaded, "activities", "start=2026-03-06&end=2026-03-09&channel=discord")
    assert series == list(zip(DAYS, [0, 1, 0, 1], strict=True)) and total == 2
    series, total, _ = _metric(client, loaded, "active_members", "start=2026-03-06&end=2026-03-09&channel=discord")
    assert series == list(zip(DAYS, [0, 1, 0, 1], strict=True)) and total == 2


def test_the_list_names_every_metric_with_its_definition(client, loaded):
    body = _get(client, loaded.a_key, "metrics/").json()
    names = [m["name"] for m in body["results"]]
    assert names == ["activities", "active_members", "new_members", "stickiness", "sentiment_mean", "negative_share",
                     "response_time", "response_rate"]  # fmt: skip
    assert all(m["definition"] for m in body["results"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("start=2026-13-01", "start"),
        ("end=yesterday", "end"),
        ("start=2026-03-09&end=2026-03-01", "end"),
        ("interval=fortnight", "interval"),
        ("include_staff=maybe", "include_staff"),
        ("start=2020-01-01&end=2026-01-01", "end"),
        ("segment=3", "segment"),
    ],
)
def test_bad_input_is_a_400_with_the_field(client, loaded, query, field):
    response = _get(client, loaded.a_key, f"metrics/activities/?{query}")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and field in response.json()["error"]["fields"]


def test_an_unknown_metric_is_a_404(client, loaded):
    response = _get(client, loaded.a_key, "metrics/happiness/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_keys_need_insights_read_and_people_need_moderator(client, loaded):
    _, only_members = make_api_key(loaded.a, scopes=["members:read"])
    assert _get(client, only_members, "metrics/activities/").status_code == 403
    _, insights = make_api_key(loaded.a, scopes=["insights:read"])
    assert _get(client, insights, "metrics/activities/").status_code == 200
    client.force_login(loaded.bob)  # a plain member of A
    assert client.get("/api/v1/c/alpha/metrics/activities/").status_code == 403
    with community_scope(loaded.a.pk):
        Member.objects.for_community(loaded.a).filter(pk=loaded.bob_member.pk).update(role=Role.MODERATOR)
    assert client.get("/api/v1/c/alpha/metrics/activities/").status_code == 200


def test_query_count_does_not_grow_with_history_or_range(client, loaded):
    def count(query):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert _get(client, loaded.a_key, f"metrics/active_members/?{query}").status_code == 200
        return len(captured)

    count("start=2026-03-06&end=2026-03-06")  # the key's first use of the day writes its last-used date
    short = count("start=2026-03-06&end=2026-03-06")
    assert count("start=2025-03-06&end=2026-03-09&interval=week") == short
    more = [(100 + n, "ann", row[2], row[3], row[4], row[5]) for n, row in enumerate(dataset.ROWS * 7)]
    ids = dataset.ingest(loaded.a, more)
    with community_scope(loaded.a.pk):
        rollups_update(community=loaded.a, activity_ids=ids)
    assert count("start=2026-03-06&end=2026-03-06") == short


def test_response_rate_of_a_range_without_conversations_is_null_not_an_error(client, loaded):
    series, total, _ = _metric(client, loaded, "response_rate", "start=2025-01-01&end=2025-01-03")
    assert total is None and [v for _, v in series] == [None, None, None]
