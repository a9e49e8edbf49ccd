"""Feedback plugs in through the registry: its routes are walked by the cross-tenant suite, its scopes exist, the
menu entry is staff-only."""

from community import registry
from community.models import Role
from community.policy import RANK, Actor, can
from tests.tenancy.test_cross_tenant import _clean, tenant_routes


def test_every_feedback_route_is_in_the_cross_tenant_walk():
    walked = {_clean(route) for route, _ in tenant_routes()}
    for path in (
        "c/<slug:community_slug>/feedback/",
        "c/<slug:community_slug>/feedback/b/<slug:board_slug>/",
        "c/<slug:community_slug>/feedback/b/<slug:board_slug>/similar/",
        "c/<slug:community_slug>/feedback/i/<int:idea_id>/vote/",
        "c/<slug:community_slug>/manage/feedback/i/<int:idea_id>/",
        "c/<slug:community_slug>/manage/feedback/activities/<int:activity_id>/",
    ):
        assert path in walked, path
    assert any("ideas" in r and "votes" in r for r in walked)
    assert any(r.startswith("api/v1/c/") and "boards" in r for r in walked)


def test_scopes_and_menu(world):
    assert {"feedback:read", "feedback:write"} <= set(registry.api_scopes())
    entry = next(e for e in registry.menu_entries() if e.label == "Feedback")
    assert registry.actions()[entry.action][0] == RANK[Role.MODERATOR]
    assert not can(Actor(community=world.a, member=world.bob_member), entry.action)
