"""Every new activity with text is scored after commit by insights' listener, set-based, under the tenant scope."""

from datetime import UTC, datetime

from community.models import Activity
from community.services.activities import activity_ingest, activity_record
from community.tenancy import community_scope
from insights.sentiment.analyser import ANALYSER
from insights.services.sentiment import activities_score
from tests.community.factories import activity_items

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _item(n, body, **extra):
    return {
        "source": "github", "external_id": f"c{n}", "kind": "comment", "occurred_at": T0.isoformat(), "body": body,
        "identity": {"channel": "github", "external_id": f"gh{n}"}, **extra,
    }  # fmt: skip


def test_the_activity_api_shows_the_workers_sentiment_object(client, world, eager_celery,
                                                              django_capture_on_commit_callbacks):  # fmt: skip
    items = [
        _item(1, "Thanks, this release is wonderful and fast!"),
        _item(2, "The build is broken again and the docs are useless."),
        _item(3, "Merci beaucoup pour votre aide, c'est parfait"),
        _item(4, "Nice", sentiment={"score": -0.5}),
        {**_item(5, ""), "kind": "star"},
    ]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.a_key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/activities/bulk/", items, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    listed = {a["external_id"]: a for a in client.get("/api/v1/activities/", **auth).json()["results"]}
    positive, negative = listed["c1"]["sentiment"], listed["c2"]["sentiment"]
    assert set(positive) == {"score", "label", "analyser"}
    assert positive["label"] == "positive" and 0.05 < positive["score"] <= 1 and positive["analyser"] == ANALYSER
    assert negative["label"] == "negative" and -1 <= negative["score"] < -0.05
    assert listed["c3"]["sentiment"] is None and listed["c3"]["language"] == "fr"  # not English: left unscored
    assert listed["c4"]["sentiment"] == {"score": -0.5, "label": "negative", "analyser": "source@1"}
    assert listed["c5"]["sentiment"] is None
    negatives = client.get("/api/v1/activities/?sentiment=negative", **auth).json()["results"]
    assert sorted(a["external_id"] for a in negatives) == ["c2", "c4"]
    bad = client.get("/api/v1/activities/?sentiment=angry", **auth)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_forum_posts_recorded_one_by_one_are_scored_too(world, eager_celery, django_capture_on_commit_callbacks):
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
        activity = activity_record(
            community=world.a, member=world.bob_member, kind="post", source="forum", external_id="t9",
            occurred_at=T0, title="Thanks, this answer is wonderful",
        )  # fmt: skip
    with community_scope(world.a.pk):
        stored = Activity.objects.for_community(world.a).get(pk=activity.pk)
    assert stored.sentiment > 0.05 and stored.sentiment_label == "positive" and stored.sentiment_analyser == ANALYSER


def test_scoring_is_one_read_and_one_update_whatever_the_batch(world, django_assert_num_queries):
    for n in (1, 50):
        with community_scope(world.a.pk):
            ids = [r["id"] for r in activity_ingest(community=world.a, items=activity_items(n, start=100 * n))]
            with django_assert_num_queries(2):
                assert activities_score(community=world.a, activity_ids=ids) == n


def test_scoring_again_changes_nothing_and_keeps_the_sources_score(world, django_assert_num_queries):
    with community_scope(world.a.pk):
        [mine, theirs] = [r["id"] for r in activity_ingest(
            community=world.a, items=[_item(1, "I love it"), _item(2, "I love it", sentiment=-0.9)]
        )]  # fmt: skip
        assert activities_score(community=world.a, activity_ids=[mine, theirs]) == 1
        with django_assert_num_queries(1):  # nothing left to score: the read finds nothing, no write
            assert activities_score(community=world.a, activity_ids=[mine, theirs]) == 0
        theirs_row = Activity.objects.for_community(world.a).get(pk=theirs)
    assert (theirs_row.sentiment, theirs_row.sentiment_analyser) == (-0.9, "source@1")


def test_scoring_under_another_communitys_scope_touches_nothing(world):
    with community_scope(world.a.pk):
        ids = [r["id"] for r in activity_ingest(community=world.a, items=[_item(1, "I love it")])]
    with community_scope(world.b.pk):
        # Even handed A's ids and a community object claiming to be A, row-level security hides A's rows.
        assert activities_score(community=world.a, activity_ids=ids) == 0
    with community_scope(world.a.pk):
        assert Activity.objects.for_community(world.a).get(pk=ids[0]).sentiment is None
