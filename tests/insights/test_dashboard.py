"""The insights dashboard page: filters, KPIs, charts data, CSVs, permissions and a query count that ignores history."""

import json
from datetime import date

import pytest

from community.models import Role
from community.tenancy import community_scope
from insights.services.rollups import rollups_update
from tests.factories import add_member, make_user
from tests.insights import dataset

URL = "/c/alpha/manage/insights/"
MARCH = "days=custom&start=2026-03-06&end=2026-03-09"


@pytest.fixture
def loaded(world):
    ids = dataset.load(world.a) + dataset.ingest(world.a, dataset.LATE)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    return world


def _charts(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="insights-charts" type="application/json">') + len(
        '<script id="insights-charts" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_dashboard_shows_kpis_and_chart_data_of_the_period(client, loaded):
    client.force_login(loaded.alice)
    response = client.get(f"{URL}?{MARCH}")
    assert response.status_code == 200
    charts = _charts(response)
    assert charts["activity"]["labels"] == ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"]
    assert charts["activity"]["datasets"][0]["data"] == [1, 2, 1, 2]
    assert charts["activity"]["datasets"][1]["data"] == [1, 1, 1, 2]
    assert charts["new_members"]["datasets"][0]["data"] == [1, 1, 1, 0]
    html = response.content.decode()
    assert "<details" in html and "Download CSV" in html
    assert 'style="' not in html and "<style" not in html


def _csv(response) -> list[list[str]]:
    import csv
    import io

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_chart_has_its_csv_with_the_page_figures(client, loaded):
    client.force_login(loaded.alice)
    rows = _csv(client.get(f"{URL}csv/activity/?{MARCH}"))
    assert rows == [
        ["date", "activities", "active_members"],
        ["2026-03-06", "1", "1"], ["2026-03-07", "2", "1"], ["2026-03-08", "1", "1"], ["2026-03-09", "2", "2"],
    ]  # fmt: skip
    report = _csv(client.get(f"{URL}csv/report/?{MARCH}"))
    assert report[0] == ["date", "activities", "active_members", "new_members", "response_time", "response_rate",
                         "sentiment_mean", "negative_share", "stickiness"]  # fmt: skip
    # Mar 6: cat's late comment alone (no conversation starts: a comment), 1 active of 1 in the window.
    assert report[1] == ["2026-03-06", "1", "1", "1", "", "", "0.1", "0.0", "1.0"]
    assert _csv(client.get(f"{URL}csv/channels/?{MARCH}"))[1:] == [["github", "4", "3"], ["discord", "2", "2"]]
    assert _csv(client.get(f"{URL}csv/retention/?{MARCH}"))[1][:4] == ["2026-03-02", "3", "1.0", "0.6667"]
    health = _csv(client.get(f"{URL}csv/health/?days=custom&start=2026-03-08&end=2026-03-09"))
    assert health[-1][:2] == ["score", "48"]
    html = client.get(f"{URL}?{MARCH}").content.decode()
    for block in ("kpis", "health", "activity", "new_members", "responsiveness", "sentiment", "channels",
                  "retention", "top_contributors", "rising_members", "churn_risk", "top_topics", "top_tags",
                  "negative_topics"):  # fmt: skip
        assert f"/manage/insights/csv/{block}/?" in html, block
        assert client.get(f"{URL}csv/{block}/?{MARCH}").status_code == 200
    assert client.get(f"{URL}csv/nothing/?{MARCH}").status_code == 404


def test_a_csv_cell_never_starts_a_spreadsheet_formula(client, world):
    dataset.ingest_items(world.a, [{
        "source": "forum", "external_id": "x1", "kind": "post", "occurred_at": "2026-03-09T12:00:00+00:00",
        "title": "=HYPERLINK(\"http://evil\")", "identity": {"channel": "forum", "external_id": "e", "name": "@evil"},
    }])  # fmt: skip
    client.force_login(world.alice)
    rows = _csv(client.get(f"{URL}csv/top_topics/?days=custom&start=2026-03-09&end=2026-03-09"))
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'


def test_members_cannot_open_the_dashboard_moderators_can(client, loaded):
    client.force_login(loaded.bob)  # a plain member of A
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}csv/activity/").status_code == 403
    moderator = make_user("moderator@example.com")
    add_member(loaded.a, moderator, role=Role.MODERATOR)
    client.force_login(moderator)
    assert client.get(URL).status_code == 200


def test_bad_filters_answer_the_form_with_its_errors_not_an_error_page(client, loaded):
    client.force_login(loaded.alice)
    for query in ("days=custom", "days=custom&start=2026-03-09&end=2026-03-01", "days=12", "start=nope&days=custom",
                  "days=custom&start=2020-01-01&end=2026-01-01", "include_staff=maybe&channel=" + "x" * 80,
                  "segment=abc", "segment=999999"):  # fmt: skip
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, query
        assert b"errorlist" in response.content, query


def test_the_filters_change_the_figures(client, loaded):
    client.force_login(loaded.alice)
    dates_only = _charts(client.get(f"{URL}?start=2026-03-06&end=2026-03-09"))
    assert dates_only["activity"]["labels"] == ["2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"]
    both = _charts(client.get(f"{URL}?{MARCH}&include_staff=on&include_bots=on"))
    assert both["activity"]["datasets"][0]["data"] == [1, 2, 3, 2]  # mod and botty on Mar 8
    github = _charts(client.get(f"{URL}?{MARCH}&channel=github"))
    assert github["activity"]["datasets"][0]["data"] == [1, 1, 1, 1]


def test_query_count_is_the_same_with_a_small_and_a_larger_history(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.alice)
    ids = dataset.ingest_items(world.a, dataset.busy_items(end=date(2026, 3, 9), days=3, members=3))
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    url = f"{URL}?days=custom&start=2026-02-08&end=2026-03-09"
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    ids = dataset.ingest_items(world.a, dataset.busy_items(end=date(2026, 3, 9), days=120, members=40, prefix="big"))
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(ids) > 1000
