"""API keys: bearer authentication, scopes, hashing, last use, revocation, admin-only management."""

from django.core.management import call_command

from community.models import ApiKey
from community.services.api_keys import hash_key
from community.tenancy import community_scope
from tests.factories import make_api_key


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_key_reads_its_own_community(client, world):
    response = client.get("/api/v1/community/", **auth(world.a_key))
    assert response.status_code == 200
    assert response.json()["slug"] == "alpha"


def test_key_is_stored_hashed_and_shows_a_prefix(world):
    with community_scope(world.a.pk):
        key = ApiKey.objects.for_community(world.a).get()
    assert world.a_key not in key.hashed_key
    assert key.hashed_key == hash_key(world.a_key)
    assert world.a_key.split("_", 2)[1] == key.prefix


def test_use_is_recorded(client, world):
    client.get("/api/v1/community/", **auth(world.a_key))
    with community_scope(world.a.pk):
        assert ApiKey.objects.for_community(world.a).get().last_used_at is not None


def test_unknown_and_malformed_keys_get_401_with_the_error_body(client, world):
    for value in ("hth_000000000000_nope", "garbage", world.a_key + "x"):
        response = client.get("/api/v1/community/", **auth(value))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"


def test_revoked_key_is_refused(client, world):
    client.force_login(world.alice)
    with community_scope(world.a.pk):
        key_id = ApiKey.objects.for_community(world.a).get().pk
    assert client.delete(f"/api/v1/c/alpha/api-keys/{key_id}/").status_code == 204
    client.logout()
    response = client.get("/api/v1/community/", **auth(world.a_key))
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]["message"]


def test_scope_limits_the_key(client, world):
    _, read_only = make_api_key(world.a, scopes=["community:read"])
    assert client.get("/api/v1/community/", **auth(read_only)).status_code == 200
    response = client.get("/api/v1/members/", **auth(read_only))
    assert response.status_code == 403
    assert "members.view" in response.json()["error"]["message"]
    response = client.patch("/api/v1/community/", {"name": "x"}, content_type="application/json", **auth(read_only))
    assert response.status_code == 403


def test_keys_cannot_manage_keys(client, world):
    assert client.get("/api/v1/api-keys/", **auth(world.a_key)).status_code == 403


def test_admin_creates_a_key_and_sees_the_secret_once(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/api/v1/c/alpha/api-keys/", {"name": "zapier", "scopes": ["members:read"]}, content_type="application/json"
    )
    assert response.status_code == 201
    secret = response.json()["key"]
    listing = client.get("/api/v1/c/alpha/api-keys/").json()["results"]
    assert all("key" not in item for item in listing)
    client.logout()
    assert client.get("/api/v1/members/", **auth(secret)).status_code == 200


def test_unknown_scope_is_a_400_naming_the_field(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/api/v1/c/alpha/api-keys/", {"name": "x", "scopes": ["root:all"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "scopes" in response.json()["error"]["fields"]


def test_member_cannot_manage_keys(client, world):
    client.force_login(world.bob)
    assert client.get("/api/v1/c/alpha/api-keys/").status_code == 403


def test_create_community_command_prints_a_working_key_last(client, db, capsys):
    call_command("create_community", "gamma", "--name", "Gamma", "--owner", "gina@example.com", "--api-key")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    response = client.get("/api/v1/community/", **auth(key))
    assert response.status_code == 200
    assert response.json()["name"] == "Gamma"


def test_the_bearer_scheme_is_case_insensitive(client, world):
    for scheme in ("bearer", "BEARER", "Bearer"):
        response = client.get("/api/v1/community/", HTTP_AUTHORIZATION=f"{scheme} {world.a_key}")
        assert response.status_code == 200 and response.json()["slug"] == "alpha", scheme
