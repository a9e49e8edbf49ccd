"""The insights dashboard page: filters, KPIs, charts data, CSVs, permissions and a query count that ignores history."""

import json

import pytest

from community.tenancy import community_scope
from insights.services.rollups import rollups_update
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
