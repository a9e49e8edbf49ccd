"""Hostile and malformed input answers a clear 4xx — the documented JSON error body under /api/ — never a 500.

Each case is one an attacker sent (issue 14, Low 9): NUL in query strings and bodies, JSON nested past any sane
depth, wrong types, oversized bodies, non-integer ids in paths, unparseable dates and unknown fields.
"""

import json

import pytest
from django.test import Client

API = "/api/v1"
NESTED = ("[" * 100_000 + "]" * 100_000).encode()


@pytest.fixture
def api(world):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {world.a_key}", raise_request_exception=False)
    return client


def _json_error(response, status: int | tuple[int, ...] = 400) -> dict:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "fields"} <= set(body["error"]), body
    return body["error"]


@pytest.mark.parametrize(
    "path",
    [
        "/members/?search=%00",
        "/members/?tag=a%00b",
        "/members/?status=%00",
        "/activities/?q=%00",
        "/activities/?source=%00",
        "/topics/?q=%00",
        "/search/?q=x%00",
        "/members/?%00=1",
    ],
)
def test_nul_in_a_query_string_is_a_json_400(api, path):
    error = _json_error(api.get(API + path))
    assert "NUL" in error["message"] or "null character" in error["message"].lower()


def test_nul_in_the_public_forum_query_string_is_a_styled_400(world, client):
    response = client.get(f"/c/{world.a.slug}/d/?tag=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/members/{bob}/", {"custom_fields": ["not", "an", "object"]}),
        ("patch", "/members/{bob}/", {"custom_fields": {"k": "v\u0000"}}),
        ("patch", "/members/{bob}/", {"display_name": "x\u0000y"}),
        ("patch", "/community/", {"settings": "x"}),
        ("patch", "/community/", {"settings": None}),
        ("patch", "/community/", {"settings": {"timezone\u0000": "UTC"}}),
        ("post", "/channels/", {"kind": "github", "display_name": "gh", "config": "repo"}),
        ("post", "/notifications/read/", {"ids": ["1"]}),
    ],
)
def test_wrong_types_and_nul_in_bodies_are_json_400s(api, world, method, path, body):
    path = path.format(bob=world.bob_member.pk)
    response = getattr(api, method)(API + path, json.dumps(body), content_type="application/json")
    _json_error(response, 400 if "notifications" not in path else 403)  # a key has no notifications: 403 first


@pytest.mark.parametrize("body", [NESTED, b'{"name": "x", "weight": 1e400}', b'{"name": NaN}', b'{"name": "\\u0000"}'])
def test_bodies_json_cannot_store_are_json_400s(api, body):
    error = _json_error(api.post(API + "/organizations/", body, content_type="application/json"))
    assert error["message"].startswith("JSON parse error")


def test_a_body_over_the_limit_is_a_json_413(api):
    big = json.dumps({"name": "x", "description": "y" * 3_000_000}).encode()
    _json_error(api.post(API + "/organizations/", big, content_type="application/json"), 413)


@pytest.mark.parametrize(
    "path",
    [
        "/topics/null,null/",
        "/replies/false/",
        "/members/abc/",
        "/merges/%C3%A9t%C3%A9/undo/",
        "/activities/1.5/",
        "/organizations/-1/",
        "/segments/99999999999999999999999/",
    ],
)
def test_non_integer_ids_in_paths_are_404s(api, path):
    response = api.get(API + path) if not path.endswith("undo/") else api.post(API + path)
    _json_error(response, (404, 405))


@pytest.mark.parametrize(
    "path",
    [
        "/activities/?since=yesterday",
        "/activities/?occurred_after=2026-13-45",
        "/members/?active_from=not-a-date",
    ],
)
def test_unparseable_dates_are_400s(api, path):
    _json_error(api.get(API + path))


def test_unknown_fields_in_a_body_are_400s(api):
    response = api.post(
        API + "/organizations/", json.dumps({"name": "Acme", "domian": "acme.test"}), content_type="application/json"
    )
    error = _json_error(response)
    assert error["fields"] == {"domian": ["Unknown field."]}
