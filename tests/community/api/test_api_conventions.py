"""API conventions: throttling per key and per user, the error body on 429, docs served without a CDN."""

import re

import pytest
from rest_framework.throttling import SimpleRateThrottle


@pytest.fixture
def low_rates(monkeypatch):
    # DRF reads the rates once into a class attribute; patch it for this test only.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"api_key": "3/min", "user": "2/min"})


def test_api_key_is_throttled_with_retry_after(client, world, low_rates):
    codes = [client.get("/api/v1/community/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/community/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # another community's key has its own budget
    assert client.get("/api/v1/community/", HTTP_AUTHORIZATION=f"Bearer {world.b_key}").status_code == 200


def test_session_user_is_throttled(client, world, low_rates):
    client.force_login(world.bob)
    codes = [client.get("/api/v1/c/alpha/community/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_api_docs_load_nothing_from_a_cdn(client, db):
    body = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert sources, "the docs page references its assets"
    assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources


def test_schema_documents_the_bearer_key(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    assert "/api/v1/members/" in schema["paths"]
