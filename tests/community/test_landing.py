"""The landing page's "your communities": the one cross-tenant read a user sees, so it must list exactly theirs."""

from community.models import MemberStatus, Role, Visibility
from community.tenancy import community_scope
from tests.factories import add_member, make_community, make_user


def _mine(client):
    return [(c.slug, m.role) for c, m in client.get("/").context["mine"]]


def test_a_member_sees_their_own_communities_and_no_one_elses(client, world):
    outsider = make_user("olga@example.com")
    secret = make_community(outsider, slug="secret-gamma", visibility=Visibility.PRIVATE)
    hidden_club = make_community(outsider, slug="hidden-club", visibility=Visibility.PRIVATE)
    with community_scope(hidden_club.pk):
        add_member(hidden_club, world.bob, role=Role.MODERATOR)
    client.force_login(world.bob)
    assert sorted(_mine(client)) == [("alpha", Role.MEMBER), ("hidden-club", Role.MODERATOR)]
    body = client.get("/").content.decode()
    assert secret.name not in body  # a private community bob does not belong to is never named
    assert "Hidden Club" in body


def test_left_memberships_are_not_listed_and_strangers_see_none(client, world):
    with community_scope(world.a.pk):
        world.bob_member.status = MemberStatus.LEFT
        world.bob_member.save(update_fields=["status"])
    client.force_login(world.bob)
    assert _mine(client) == []
    client.force_login(make_user("nobody@example.com"))
    assert _mine(client) == []
