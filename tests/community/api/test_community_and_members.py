"""The current community and member resources: reads, role changes under the policy, errors, pagination."""

import pytest

from community.models import Member, Role
from community.tenancy import community_scope
from tests.factories import add_member


def test_session_user_names_the_community_in_the_url(client, world):
    client.force_login(world.bob)
    assert client.get("/api/v1/c/alpha/community/").json()["name"] == "Alpha"
    response = client.get("/api/v1/community/")
    assert response.status_code == 404
    assert "/api/v1/c/<slug>/" in response.json()["error"]["message"]


def test_anonymous_gets_401_with_the_error_body(client, world):
    response = client.get("/api/v1/c/alpha/community/")
    assert response.status_code in (401, 403)
    assert set(response.json()["error"]) == {"code", "message", "fields"}


def test_admin_updates_the_community(client, world):
    client.force_login(world.alice)
    response = client.patch("/api/v1/c/alpha/community/", {"description": "new"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["description"] == "new"


def test_member_cannot_update_the_community(client, world):
    client.force_login(world.bob)
    response = client.patch("/api/v1/c/alpha/community/", {"description": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_invalid_visibility_is_a_400_with_fields(client, world):
    client.force_login(world.alice)
    response = client.patch("/api/v1/c/alpha/community/", {"visibility": "secret"}, content_type="application/json")
    assert response.status_code == 400
    assert "visibility" in response.json()["error"]["fields"]


def test_owner_changes_a_role(client, world):
    client.force_login(world.alice)
    url = f"/api/v1/c/alpha/members/{world.bob_member.pk}/"
    response = client.patch(url, {"role": "moderator"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["role"] == "moderator"


def test_admin_cannot_grant_ownership(client, world):
    carol = add_member(world.a, None, role=Role.ADMIN, display_name="Carol")
    from tests.factories import make_user

    carol_user = make_user("carol@example.com")
    with community_scope(world.a.pk):
        Member.objects.filter(pk=carol.pk).update(user=carol_user)
    client.force_login(carol_user)
    url = f"/api/v1/c/alpha/members/{world.bob_member.pk}/"
    response = client.patch(url, {"role": "owner"}, content_type="application/json")
    assert response.status_code == 403
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=world.bob_member.pk).role == Role.MEMBER


def test_last_owner_cannot_be_demoted(client, world):
    client.force_login(world.alice)
    with community_scope(world.a.pk):
        owner = Member.objects.get(community=world.a, user=world.alice)
    response = client.patch(f"/api/v1/c/alpha/members/{owner.pk}/", {"role": "admin"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"


def test_member_cannot_list_members(client, world):
    client.force_login(world.bob)
    assert client.get("/api/v1/c/alpha/members/").status_code == 403


def test_members_filter_by_role_and_search(client, world):
    response = client.get("/api/v1/members/?role=owner", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert [m["email"] for m in response.json()["results"]] == ["alice@example.com"]
    response = client.get("/api/v1/members/?search=bob", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert [m["email"] for m in response.json()["results"]] == ["bob@example.com"]


@pytest.mark.parametrize("extra", [1, 50])
def test_member_list_has_a_constant_query_count(client, world, django_assert_num_queries, extra):
    for i in range(extra):
        add_member(world.a, None, display_name=f"Guest {i}")
    # request savepoint+release (the test's transaction wraps ATOMIC_REQUESTS), bypass on/off + key lookup,
    # scope on/off + last-used update (first use in the minute), scope on/off + one page of members.
    with django_assert_num_queries(11):
        response = client.get("/api/v1/members/?page_size=200", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert len(response.json()["results"]) == extra + 2


def test_cursor_pagination_walks_every_member(client, world):
    for i in range(7):
        add_member(world.a, None, display_name=f"Guest {i}")
    seen, url = [], "/api/v1/members/?page_size=3"
    while url:
        page = client.get(url, HTTP_AUTHORIZATION=f"Bearer {world.a_key}").json()
        seen += [m["id"] for m in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 9
