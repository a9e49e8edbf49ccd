"""Forum fixtures: the two-community world plus spaces, and helpers that act as a given member."""

from dataclasses import dataclass

import pytest

from community.models import Community, Member
from community.policy import Actor
from community.tenancy import community_scope
from discussions.models import PostPolicy, Space, SpaceVisibility
from tests.factories import add_member, make_user, owner_of


def actor_for(community: Community, member: Member | None) -> Actor:
    return Actor(community=community, user_id=member.user_id if member else None, member=member)


@dataclass
class Forum:
    world: object
    a: Community
    b: Community
    alice: Member  # owner of A
    bob: Member  # member of A
    carol: Member  # member of A
    general: Space
    staff_only: Space
    private: Space
    b_space: Space

    def actor(self, member: Member | None) -> Actor:
        return actor_for(self.a, member)


def make_space(community, slug, **extra) -> Space:
    with community_scope(community.pk):
        return Space.objects.create(community=community, name=slug.title(), slug=slug, **extra)


def established(community: Community, *members: Member, level: int = 2) -> None:
    """Members past trust level 0 (whose first posts wait for review and who may not post links): the forum's tests
    are about an established forum; tests/moderation/test_trust.py covers the new member."""
    from moderation.models import MemberTrust

    with community_scope(community.pk):
        MemberTrust.objects.bulk_create([MemberTrust(community=community, member=m, level=level) for m in members])


@pytest.fixture
def forum(world):
    carol_user = make_user("carol@example.com")
    carol = add_member(world.a, carol_user, display_name="carol", handle="carol")
    with community_scope(world.a.pk):
        bob = Member.objects.get(pk=world.bob_member.pk)
        bob.handle = "bob"
        bob.save(update_fields=["handle"])
    general = make_space(world.a, "general", position=0)
    staff_only = make_space(world.a, "news", position=1, start_policy=PostPolicy.STAFF)
    private = make_space(world.a, "inner", position=2, visibility=SpaceVisibility.GROUP)
    b_space = make_space(world.b, "bravo-general")
    established(world.a, bob, carol)
    return Forum(world, world.a, world.b, owner_of(world.a), bob, carol, general, staff_only, private, b_space)


@pytest.fixture
def in_a(forum):
    with community_scope(forum.a.pk):
        yield forum
