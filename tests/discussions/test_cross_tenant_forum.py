"""The lead's cross-tenant walk, restricted to forum routes: A's member, admin and key never reach B's forum."""

import pytest

from tests.tenancy import test_cross_tenant as walk

FORUM_PREFIXES = ("c/<slug:community_slug>/d/", "c/<slug:community_slug>/sitemap.xml")
FORUM_API = ("spaces", "topics", "replies", "notifications", "subscriptions")


def _is_forum(route: str) -> bool:
    path = walk._clean(route)
    if path.startswith(FORUM_PREFIXES):
        return True
    for prefix in ("api/v1/c/<slug:community_slug>/", "api/v1/"):
        if path.startswith(prefix) and path[len(prefix) :].startswith(FORUM_API):
            return True
    return False


def forum_routes():
    return [(route, cb) for route, cb in walk.tenant_routes() if _is_forum(route)]


def test_forum_routes_are_walked():
    routes = [walk._clean(r) for r, _ in forum_routes()]
    assert any("/d/t/<int:topic_id>/" in r for r in routes)
    assert any("topics/<int:topic_id>/replies/" in r for r in routes)
    assert len(routes) > 40


@pytest.mark.parametrize("actor", ["member", "admin", "api_key"])
def test_community_a_cannot_reach_community_bs_forum(client, two_tenants, actor):
    world = two_tenants
    before = walk.snapshot(world.b)
    headers = {}
    if actor == "member":
        client.force_login(world.bob)
    elif actor == "admin":
        client.force_login(world.alice)
    else:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.a_key}"
    failures = []
    for route, callback in forum_routes():
        url = walk.fill(route, walk.values_for(route, callback, world.b))
        for method in walk.METHODS:
            kwargs = {"content_type": "application/json", "data": "{}"} if method != "get" else {}
            response = getattr(client, method)(url, **headers, **kwargs)
            body = response.content.decode(errors="replace")
            leaked = [s for s in (*walk.SENTINELS, "SENTINEL-B-") if s in body]
            to_login = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            if (response.status_code not in walk.REFUSALS and not to_login) or leaked:
                failures.append(f"{method.upper()} {url} -> {response.status_code} leaked={leaked}")
    assert failures == []
    assert walk.snapshot(world.b) == before


two_tenants = walk.two_tenants
