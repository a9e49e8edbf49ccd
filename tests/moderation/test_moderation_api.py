"""The Activity API's moderation object: null until screened, then filled by the worker; the status filter."""

from datetime import UTC, datetime

from tests.moderation.test_screening import HAM, SPAM

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _item(n, body):
    return {"source": "youtube", "external_id": f"y{n}", "kind": "comment", "occurred_at": T0.isoformat(),
            "body": body, "identity": {"channel": "youtube", "external_id": f"yt{n}", "name": f"Viewer {n}"}}  # fmt: skip


def test_the_api_shows_one_moderation_object_after_the_worker_screened(client, world, eager_celery,
                                                                       django_capture_on_commit_callbacks):  # fmt: skip
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.a_key}"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/activities/bulk/", [_item(1, SPAM), _item(2, HAM)],
                               content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 200, response.content
    listed = {a["external_id"]: a for a in client.get("/api/v1/activities/", **auth).json()["results"]}
    spam, ham = listed["y1"]["moderation"], listed["y2"]["moderation"]
    assert set(spam) == {"spam", "toxicity", "status", "reasons", "scorer"}
    assert "moderation_status" not in listed["y1"] and "moderation_score" not in listed["y1"]
    assert spam["spam"] >= 0.5 and spam["status"] in {"flagged", "held"} and spam["reasons"]
    assert ham["spam"] < 0.5 and ham["status"] == "published" and ham["reasons"] == []
    assert 0 <= ham["toxicity"] <= 1 and spam["scorer"] == "hearth-spam@2+hearth-toxicity@1"
    screened = client.get(f"/api/v1/activities/?moderation_status={spam['status']}", **auth).json()["results"]
    assert [a["external_id"] for a in screened] == ["y1"]
    assert client.get("/api/v1/activities/?moderation_status=unscreened", **auth).json()["results"] == []
    bad = client.get("/api/v1/activities/?moderation_status=angry", **auth)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"


def test_the_moderation_object_is_null_until_screened(client, world):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.a_key}"}
    response = client.post("/api/v1/activities/", _item(1, SPAM), content_type="application/json", **auth)
    assert response.status_code == 201 and response.json()["moderation"] is None
    unscreened = client.get("/api/v1/activities/?moderation_status=unscreened", **auth).json()["results"]
    assert [a["external_id"] for a in unscreened] == ["y1"]
