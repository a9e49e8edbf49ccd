"""The cross-tenant walk: every page and API route, as community A's member, admin and API key, against B.

Routes are enumerated from the URL resolver, so a new route joins the walk by existing. URL kwargs are
filled with B's objects (tests/tenancy/kwarg_objects.py); a kwarg the registry does not know fails the
suite. Every response must be a refusal (401/403/404/405) without any of B's data in the body, and B's rows
must be byte-for-byte unchanged afterwards.
"""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from community.models import Member, Visibility
from community.policy import Actor
from community.tenancy import community_scope, unscoped
from tests.factories import add_member
from tests.tenancy.kwarg_objects import KWARG_MODELS, KWARG_VALUES
from tests.tenancy.tenant_data import populate

# Deliberately global routes, with the reason they are not tenant routes.
GLOBAL_ROUTES = {
    "": "landing page: lists public communities and the visitor's own memberships "
    "(tests/community/test_landing.py proves it names no other community's private data)",
    "healthz": "health check: database and broker reachability, no tenant data",
    "communities/new/": "creating a new community: the new one becomes the tenant",
    "accounts/": "django-allauth: global user accounts (users are not tenant data)",
    "admin/": "platform admin for superusers (Django admin), not reachable by community roles",
    "api/schema/": "OpenAPI schema: describes the API, holds no data",
    "api/docs/": "API documentation page",
    "hooks/": "channel webhooks: the tenant comes from the connection id in the path, verified by signature "
    "(tested in tests/integrations)",
    "static/": "static files",
    "media/": "uploaded files are served by the web server in production",
}
# Tenant routes an outsider may legitimately use, with the reason; tested on their own elsewhere.
ENTRY_ROUTES = {
    "c/<slug:community_slug>/join/": "asking to join: records only the asker's own pending request "
    "(tests/community/test_onboarding.py proves it reveals nothing of a private community)",
}
REFUSALS = {401, 403, 404, 405}
METHODS = ("get", "post", "patch", "delete")
# Every builder in tenant_data.py names B's objects with one of these prefixes.
SENTINELS = ("Sentinel Bravo", "SENTINEL-B-", "sentinel-bravo")


def _route_string(pattern) -> str:
    return str(pattern.pattern)


def iter_routes(patterns=None, prefix: str = ""):
    """Yield (route, callback) for every leaf URL pattern, with the full route string."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + _route_string(entry)
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def _clean(route: str) -> str:
    return route.replace("^", "").replace("$", "").replace("\\", "")


def is_global(route: str) -> bool:
    path = _clean(route)
    return any(path == prefix or (prefix and path.startswith(prefix)) for prefix in GLOBAL_ROUTES)


KWARG_RE = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<rname>\w+)>[^)]*\)")


def route_kwargs(route: str) -> list[str]:
    return [m.group("name") or m.group("rname") for m in KWARG_RE.finditer(route)]


def fill(route: str, values: dict) -> str:
    def sub(match):
        return str(values[match.group("name") or match.group("rname")])

    return "/" + KWARG_RE.sub(sub, _clean(route))


def _b_object_value(spec: str, community):
    parts = spec.split(".")
    model = apps.get_model(parts[0], parts[1])
    field = parts[2] if len(parts) > 2 else "pk"
    with community_scope(community.pk):
        obj = model.objects.filter(community_id=community.pk).order_by("pk").first()
    assert obj is not None, f"community B has no {spec} object: give the cross-tenant fixture one"
    return getattr(obj, field)


def _b_pk_for_viewset(callback, community, values: dict):
    """An object of B the viewset would serve, found as B's owner would see it (the kwargs filled so far)."""
    viewset = callback.cls(**getattr(callback, "initkwargs", {}))
    with community_scope(community.pk):
        owner = Member.objects.filter(community=community, role="owner").order_by("pk").first()
        viewset.actor = Actor(community=community, user_id=owner.user_id, member=owner)
        viewset.community, viewset.action, viewset.kwargs, viewset.request = community, "retrieve", values, None
        obj = viewset.scoped_queryset(community).order_by("pk").first()
    assert obj is not None, f"community B has no object for {callback.cls.__name__}: add one to the fixture"
    return obj.pk


def values_for(route: str, callback, b) -> dict:
    values = {}
    for name in route_kwargs(route):
        if name == "community_slug":
            values[name] = b.slug
        elif name == "pk" and hasattr(callback, "cls"):
            values[name] = _b_pk_for_viewset(callback, b, dict(values))
        elif name in KWARG_MODELS:
            values[name] = _b_object_value(KWARG_MODELS[name], b)
        elif name in KWARG_VALUES:
            values[name] = KWARG_VALUES[name]
        else:
            pytest.fail(f"route {route!r} has kwarg {name!r} unknown to tests/tenancy/kwarg_objects.py")
    return values


def targets_b(route: str) -> bool:
    """A route reaches B when it names B (its slug) or one of B's objects.

    An API route without the slug whose kwargs are fixed values, not objects (/api/v1/metrics/<metric>/), acts on
    the API key's own community like a route without kwargs; its /api/v1/c/<slug>/ twin is walked."""
    names = route_kwargs(route)
    path = _clean(route)
    if path.startswith("api/v1/") and not path.startswith("api/v1/c/") and all(n in KWARG_VALUES for n in names):
        return False
    return bool(names)


def snapshot(community) -> dict:
    """A digest of every tenant row of the community, table by table (through the logged bypass)."""
    digests = {}
    with unscoped("test: cross-tenant snapshot"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public' "
            "WHERE a.attname = 'community_id' AND c.relkind = 'r' ORDER BY 1"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(
                f"SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) FROM \"{table}\" t "
                "WHERE community_id = %s",
                [community.pk],
            )
            digests[table] = cursor.fetchone()[0]
    return digests


@pytest.fixture
def two_tenants(world):
    """A and B with data; B is private and carries sentinel strings that must never reach A's actors."""
    b = world.b
    b.name, b.description, b.visibility = "Sentinel Bravo Community", "SENTINEL-B-DESCRIPTION", Visibility.PRIVATE
    b.save()
    add_member(b, None, display_name="Sentinel Bravo Guest", email="sentinel-bravo@example.com")
    with community_scope(b.pk):
        populate(b, world.charlie)
    return world


def tenant_routes():
    return [
        (route, cb)
        for route, cb in iter_routes()
        if not is_global(route) and targets_b(route) and _clean(route) not in ENTRY_ROUTES
    ]


def test_the_walk_covers_pages_and_api():
    routes = [_clean(route) for route, _ in tenant_routes()]
    assert any(r.startswith("c/") for r in routes)
    assert any(r.startswith("api/v1/c/") for r in routes)
    assert any(r.startswith("api/v1/") and not r.startswith("api/v1/c/") for r in routes)


def test_every_route_is_classified():
    """A route is either walked (it names a community or an object) or listed as global with a reason."""
    unclassified = [_clean(route) for route, _ in iter_routes() if not is_global(route) and not targets_b(route)]
    # API routes without kwargs act on the API key's own community: never B's.
    unclassified = [r for r in unclassified if not r.startswith("api/v1/")]
    assert unclassified == []


@pytest.mark.parametrize("actor", ["member", "admin", "api_key"])
def test_community_a_cannot_reach_community_b(client, two_tenants, actor):
    world = two_tenants
    before = snapshot(world.b)
    headers = {}
    if actor == "member":
        client.force_login(world.bob)
    elif actor == "admin":
        client.force_login(world.alice)
    else:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.a_key}"
    failures = []
    walked = 0
    for route, callback in tenant_routes():
        url = fill(route, values_for(route, callback, world.b))
        for method in METHODS:
            kwargs = {"content_type": "application/json", "data": "{}"} if method != "get" else {}
            response = getattr(client, method)(url, **headers, **kwargs)
            walked += 1
            body = response.content.decode(errors="replace")
            leaked = [s for s in SENTINELS if s in body]
            to_login = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            if (response.status_code not in REFUSALS and not to_login) or leaked:
                failures.append(f"{method.upper()} {url} -> {response.status_code} leaked={leaked}")
    assert walked > 20
    assert failures == []
    assert snapshot(world.b) == before


def test_a_user_in_both_communities_is_seen_in_each_only_as_that_communitys_member(two_tenants):
    """The query names no community: row-level security alone decides which membership each scope sees."""
    world = two_tenants
    in_b = add_member(world.b, world.bob, display_name="Bob in Bravo")
    with community_scope(world.a.pk):
        assert list(Member.objects.filter(user=world.bob).values_list("pk", flat=True)) == [world.bob_member.pk]
    with community_scope(world.b.pk):
        assert list(Member.objects.filter(user=world.bob).values_list("pk", flat=True)) == [in_b.pk]
    with unscoped("test: both memberships exist"):
        assert Member.objects.filter(user=world.bob).count() == 2
