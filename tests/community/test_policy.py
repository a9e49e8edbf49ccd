"""The permission table: each role's rights, key scopes, visitors of public and private communities."""

import pytest

from community.models import ApiKey, Community, Member, MemberStatus, Role, Visibility
from community.policy import Actor, all_actions, can, can_assign_role

ORDER = [None, Role.MEMBER, Role.MODERATOR, Role.MANAGER, Role.ADMIN, Role.OWNER]


def actor(role, visibility=Visibility.PUBLIC, status=MemberStatus.ACTIVE):
    community = Community(pk=1, slug="x", name="X", visibility=visibility)
    member = None if role is None else Member(community=community, role=role, status=status)
    return Actor(community=community, user_id=1, member=member)


@pytest.mark.parametrize("action", sorted(all_actions()))
def test_rights_grow_with_rank(action):
    """If a role may do something, every higher role may too."""
    allowed = [can(actor(role), action) for role in ORDER]
    assert allowed == sorted(allowed)


@pytest.mark.parametrize(
    ("role", "action", "expected"),
    [
        (None, "community.view", True),
        (Role.MEMBER, "dashboard.view", False),
        (Role.MODERATOR, "dashboard.view", True),
        (Role.MODERATOR, "members.update", False),
        (Role.MANAGER, "members.update", True),
        (Role.MANAGER, "members.change_role", False),
        (Role.MANAGER, "invitations.manage", False),
        (Role.ADMIN, "invitations.manage", True),
        (Role.ADMIN, "api_keys.manage", True),
        (Role.ADMIN, "community.update", True),
    ],
)
def test_role_matrix(role, action, expected):
    assert can(actor(role), action) is expected


def test_private_community_is_invisible_to_visitors_and_pending_members():
    assert not can(actor(None, Visibility.PRIVATE), "community.view")
    assert not can(actor(Role.MEMBER, Visibility.PRIVATE, MemberStatus.PENDING), "community.view")
    assert can(actor(Role.MEMBER, Visibility.PRIVATE), "community.view")


def test_suspended_staff_lose_their_rights():
    assert not can(actor(Role.ADMIN, status=MemberStatus.SUSPENDED), "dashboard.view")


def test_keys_act_by_scope_only():
    community = Community(pk=1, slug="x", name="X")
    key = ApiKey(community=community, scopes=["members:write"])
    key_actor = Actor(community=community, api_key=key)
    assert can(key_actor, "members.view")  # write implies read
    assert can(key_actor, "members.update")
    assert not can(key_actor, "community.update")
    assert not can(key_actor, "api_keys.manage")
    assert not can_assign_role(key_actor, Member(role=Role.MEMBER), Role.OWNER)


def test_only_owners_touch_ownership():
    target = Member(role=Role.MEMBER)
    assert not can_assign_role(actor(Role.ADMIN), target, Role.OWNER)
    assert can_assign_role(actor(Role.ADMIN), target, Role.MODERATOR)
    assert can_assign_role(actor(Role.OWNER), target, Role.OWNER)
