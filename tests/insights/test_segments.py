"""The segment filter (a saved member-directory segment) in the metrics API and the dashboard, on the hand-written
data set: the segment "vip" holds ann and cat (tests/insights/dataset.py; New York days, with the late Mar 6 row).

ann: Mar 7 github comment 0.5, Mar 7 discord message -0.4; cat: Mar 6 github comment 0.1, Mar 9 discord message -0.6.
"""

import pytest

from community.models import Member, Segment
from community.tenancy import community_scope
from insights.services.conversations import conversations_update
from insights.services.rollups import rollups_update
from tests.insights import dataset
from tests.insights.api.test_metrics_api import _metric
from tests.insights.test_dashboard import MARCH, URL, _charts


@pytest.fixture
def vip(world):
    ids = dataset.load(world.a) + dataset.ingest(world.a, dataset.LATE)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
        conversations_update(community=world.a, activity_ids=ids)
        Member.objects.for_community(world.a).filter(email__in=["ann@example.org", "cat@example.org"]).update(
            tags=["vip"]
        )
        segment = Segment.objects.create(community=world.a, name="VIPs", filters={"tag": "vip"})
    return world, segment


def test_metrics_of_a_segment_hand_computed(client, vip):
    world, segment = vip
    q = f"start=2026-03-06&end=2026-03-09&segment={segment.pk}"
    series, total, _ = _metric(client, world, "activities", q)
    assert [v for _, v in series] == [1, 2, 0, 1] and total == 4  # bob's two are left out
    series, total, _ = _metric(client, world, "active_members", q)
    assert [v for _, v in series] == [1, 1, 0, 1] and total == 2
    series, total, _ = _metric(client, world, "new_members", q)
    assert [v for _, v in series] == [1, 1, 0, 0] and total == 2  # cat Mar 6, ann Mar 7
    # (0.1 + 0.5 - 0.4 - 0.6) / 4 = -0.1
    assert _metric(client, world, "sentiment_mean", q)[1] == -0.1
    assert _metric(client, world, "negative_share", q)[1] == 0.5
    # Mar 6: cat of {cat} = 1; Mar 7: ann of {cat, ann} = 0.5; Mar 8: nobody of 2 = 0; Mar 9: cat of 2 = 0.5.
    series, total, _ = _metric(client, world, "stickiness", q)
    assert [v for _, v in series] == [1.0, 0.5, 0.0, 0.5] and total == 0.5
    # Conversations: ann's Mar 7 and cat's Mar 9 messages, unanswered.
    assert _metric(client, world, "response_rate", q)[1] == 0.0
    github = _metric(client, world, "new_members", q + "&channel=github")
    assert github[1] == 2  # both first showed up on github (ann's Mar 7 comment, cat's Mar 6 comment)


def test_a_segment_of_another_community_or_not_a_number_is_a_400(client, vip):
    world, _ = vip
    with community_scope(world.b.pk):
        foreign = Segment.objects.create(community=world.b, name="B's", filters={})
    for value in (str(foreign.pk), "vip"):
        response = client.get(
            f"/api/v1/metrics/activities/?segment={value}", HTTP_AUTHORIZATION=f"Bearer {world.a_key}"
        )
        assert response.status_code == 400 and "segment" in response.json()["error"]["fields"]


def test_the_dashboard_filters_by_segment(client, vip):
    world, segment = vip
    client.force_login(world.alice)
    response = client.get(f"{URL}?{MARCH}&segment={segment.pk}")
    assert f'<option value="{segment.pk}" selected>VIPs</option>' in response.content.decode()
    charts = _charts(response)
    assert charts["activity"]["datasets"][0]["data"] == [1, 2, 0, 1]
    assert charts["channels"]["labels"] == ["discord", "github"]  # 2 each; discord first by name
    people = dataset.member_ids(world.a)
    rows = client.get(f"{URL}csv/top_contributors/?{MARCH}&segment={segment.pk}").content.decode().splitlines()[1:]
    assert [int(r.split(",")[0]) for r in rows] == [people["ann"], people["cat"]]


def test_retention_and_threads_follow_the_segment(client, vip):
    world, segment = vip
    client.force_login(world.alice)
    rows = client.get(f"{URL}csv/retention/?{MARCH}&segment={segment.pk}").content.decode().splitlines()
    # The Mar 2 cohort of the segment: cat (Mar 6) and ann (Mar 7); in the week of Mar 9 only cat: 1 of 2.
    assert rows[1].split(",")[:4] == ["2026-03-02", "2", "1.0", "0.5"]
    topics = client.get(f"{URL}csv/top_topics/?{MARCH}&segment={segment.pk}").content.decode().splitlines()[1:]
    assert sorted(r.split(",")[1] for r in topics) == ["a1", "a2", "a7", "a8"]  # ann's and cat's, not bob's


def test_a_share_link_keeps_the_segment(client, vip):
    from insights.models import DashboardShare
    from insights.services.sharing import share_token

    world, segment = vip
    client.force_login(world.alice)
    assert client.post(f"{URL}shares/?{MARCH}&segment={segment.pk}", {"days_valid": 3}).status_code == 302
    with community_scope(world.a.pk):
        share = DashboardShare.objects.for_community(world.a).get()
    client.logout()
    charts = _charts(client.get(f"/c/alpha/insights/shared/{share_token(share)}/"))
    assert charts["activity"]["datasets"][0]["data"] == [1, 2, 0, 1]
