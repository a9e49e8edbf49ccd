"""Dashboard pages under the role matrix: who sees what, and refusals change nothing."""

import pytest

from community.models import Member, Role
from community.tenancy import community_scope
from tests.factories import add_member, make_user


@pytest.fixture
def staff(world):
    people = {}
    for role in (Role.MODERATOR, Role.MANAGER, Role.ADMIN):
        user = make_user(f"{role}@example.com")
        add_member(world.a, user, role=role)
        people[role] = user
    people[Role.OWNER], people[Role.MEMBER] = world.alice, world.bob
    return people


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.MEMBER, "/c/alpha/manage/", 403),
        (Role.MODERATOR, "/c/alpha/manage/", 200),
        (Role.MODERATOR, "/c/alpha/manage/settings/", 403),
        (Role.MANAGER, "/c/alpha/manage/invitations/", 403),
        (Role.ADMIN, "/c/alpha/manage/invitations/", 200),
        (Role.ADMIN, "/c/alpha/manage/api-keys/", 200),
        (Role.MANAGER, "/c/alpha/manage/api-keys/", 403),
        (Role.OWNER, "/c/alpha/manage/settings/", 200),
    ],
)
def test_dashboard_pages_follow_the_policy(client, staff, role, path, status):
    client.force_login(staff[role])
    assert client.get(path).status_code == status


def test_manager_cannot_change_roles_and_nothing_changes(client, world, staff):
    client.force_login(staff[Role.MANAGER])
    client.post(f"/c/alpha/manage/members/{world.bob_member.pk}/", {"role": "admin"})
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=world.bob_member.pk).role == Role.MEMBER


def test_settings_change_name_and_visibility(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/c/alpha/manage/settings/", {"name": "Alpha Prime", "description": "", "visibility": "private", "domain": ""}
    )
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert (world.a.name, world.a.visibility, world.a.domain) == ("Alpha Prime", "private", None)


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get("/c/alpha/manage/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
