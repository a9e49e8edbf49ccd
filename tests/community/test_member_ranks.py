"""A role never acts on a member who outranks it: bans, identity edits and merges (issue 14, High 1 and 2).

Each test replays the attack first and re-reads the database afterwards: the refusal changed nothing.
"""

import pytest

from community.errors import ServiceError
from community.models import AuditEntry, Member, MemberStatus, Role
from community.policy import Actor
from community.services.merges import member_merge, member_unmerge
from community.tenancy import community_scope
from tests.factories import add_member, make_api_key, make_user, owner_of


def _actor(community, member):
    return Actor(community=community, user_id=member.user_id, member=member)


@pytest.fixture
def manager(world):
    with community_scope(world.a.pk):
        return add_member(world.a, make_user("mona@example.com"), role=Role.MANAGER)


def _reread(community, member):
    with community_scope(community.pk):
        return Member.objects.for_community(community).get(pk=member.pk)


def test_a_manager_cannot_ban_the_owner_through_the_api(client, world, manager):
    owner = owner_of(world.a)
    client.force_login(manager.user)
    response = client.patch(
        f"/api/v1/c/alpha/members/{owner.pk}/", {"status": "banned"}, content_type="application/json"
    )
    assert response.status_code in (400, 403)
    assert response.json()["error"]["code"] == "permission_denied"
    assert _reread(world.a, owner).status == MemberStatus.ACTIVE


def test_a_manager_cannot_suspend_another_manager_but_can_suspend_a_member(client, world, manager):
    with community_scope(world.a.pk):
        peer = add_member(world.a, make_user("pete@example.com"), role=Role.MANAGER)
    client.force_login(manager.user)
    url = f"/api/v1/c/alpha/members/{peer.pk}/"
    assert client.patch(url, {"status": "suspended"}, content_type="application/json").status_code in (400, 403)
    assert _reread(world.a, peer).status == MemberStatus.ACTIVE
    url = f"/api/v1/c/alpha/members/{world.bob_member.pk}/"
    assert client.patch(url, {"status": "suspended"}, content_type="application/json").status_code == 200
    assert _reread(world.a, world.bob_member).status == MemberStatus.SUSPENDED


def test_a_manager_cannot_rewrite_the_owners_email_or_name(client, world, manager):
    owner = owner_of(world.a)
    before = (owner.email, owner.display_name)
    client.force_login(manager.user)
    url = f"/api/v1/c/alpha/members/{owner.pk}/"
    for body in ({"email": "attacker@example.com"}, {"display_name": "Pwned"}):
        assert client.patch(url, body, content_type="application/json").status_code in (400, 403)
    after = _reread(world.a, owner)
    assert (after.email, after.display_name) == before


def test_an_api_key_cannot_ban_an_admin(client, world):
    with community_scope(world.a.pk):
        admin = add_member(world.a, make_user("ada@example.com"), role=Role.ADMIN)
    _, secret = make_api_key(world.a, scopes=["members:write"])
    response = client.patch(
        f"/api/v1/members/{admin.pk}/",
        {"status": "banned"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code in (400, 403)
    assert _reread(world.a, admin).status == MemberStatus.ACTIVE


def test_staff_email_changes_are_admin_only_and_audited(client, world, manager):
    client.force_login(manager.user)
    url = f"/api/v1/c/alpha/members/{world.bob_member.pk}/"
    assert client.patch(url, {"email": "new@example.com"}, content_type="application/json").status_code in (400, 403)
    assert _reread(world.a, world.bob_member).email != "new@example.com"
    client.force_login(world.alice)
    assert client.patch(url, {"email": "new@example.com"}, content_type="application/json").status_code == 200
    assert _reread(world.a, world.bob_member).email == "new@example.com"
    with community_scope(world.a.pk):
        assert AuditEntry.objects.for_community(world.a).filter(action="member.email_change").count() == 1


def test_no_one_suspends_an_owner_not_even_a_co_owner_or_themselves(world):
    from community.services.members import member_update

    owner = owner_of(world.a)
    with community_scope(world.a.pk):
        co_owner = add_member(world.a, make_user("co@example.com"), role=Role.OWNER)
        for actor_member, target in ((owner, owner), (co_owner, owner), (owner, co_owner)):
            with pytest.raises(ServiceError):
                member_update(
                    community=world.a,
                    actor=_actor(world.a, actor_member),
                    member=target,
                    status=MemberStatus.SUSPENDED,
                )
    assert _reread(world.a, owner).status == MemberStatus.ACTIVE
    assert _reread(world.a, co_owner).status == MemberStatus.ACTIVE


def test_a_manager_cannot_merge_the_owner_into_a_loginless_member(world, manager):
    """The attack: merge the owner's member into a login-less one (raising it to owner), undo, merge oneself in."""
    owner = owner_of(world.a)
    with community_scope(world.a.pk):
        shell = add_member(world.a, None, role=Role.MEMBER, display_name="Shell")
        with pytest.raises(ServiceError):
            member_merge(community=world.a, actor=_actor(world.a, manager), target=shell, source=owner)
    assert _reread(world.a, shell).role == Role.MEMBER and _reread(world.a, shell).user_id is None
    assert _reread(world.a, owner).user_id == owner.user_id and _reread(world.a, owner).role == Role.OWNER


def test_a_manager_cannot_merge_themselves_into_a_loginless_admin(world, manager):
    with community_scope(world.a.pk):
        admin = add_member(world.a, None, role=Role.ADMIN, display_name="Old admin")
        with pytest.raises(ServiceError):
            member_merge(community=world.a, actor=_actor(world.a, manager), target=admin, source=manager)
    assert _reread(world.a, manager).user_id == manager.user_id
    assert _reread(world.a, admin).user_id is None


def test_moving_a_login_by_merge_is_admin_only(world, manager):
    with community_scope(world.a.pk):
        shell = add_member(world.a, None, role=Role.MEMBER, display_name="Shell")
        with pytest.raises(ServiceError):
            member_merge(community=world.a, actor=_actor(world.a, manager), target=shell, source=world.bob_member)
    assert _reread(world.a, world.bob_member).user_id == world.bob.pk


def test_undo_restores_both_members_roles_exactly(world):
    owner = owner_of(world.a)
    with community_scope(world.a.pk):
        moderator = add_member(world.a, make_user("mod@example.com"), role=Role.MODERATOR)
        login = moderator.user_id
        shell = add_member(world.a, None, role=Role.MEMBER, display_name="Shell")
        merge = member_merge(community=world.a, actor=_actor(world.a, owner), target=shell, source=moderator)
        assert _reread(world.a, shell).role == Role.MODERATOR  # the login brought its role along
        member_unmerge(community=world.a, actor=_actor(world.a, owner), merge=merge)
    assert _reread(world.a, shell).role == Role.MEMBER and _reread(world.a, shell).user_id is None
    assert _reread(world.a, moderator).role == Role.MODERATOR
    assert _reread(world.a, moderator).user_id == login
