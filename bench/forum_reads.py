"""Forum reads under load: each page against its hand-written-SQL baseline in the same gunicorn, same run.

Pages: community home, a space's topic list, a topic page of a thread with 50+ replies, search, a member
profile and the API topic list. Also the SQL queries per page (Django test client + CaptureQueriesContext),
in the smallest and the largest community, anonymous and as a signed-in member: the counts must be equal.

Anonymous readers of a public community are served from the page cache (community/page_cache.py) as in
production; the same pages are measured again with the cache off (`HEARTH_PAGE_CACHE_SECONDS=0`), which is what
a signed-in member's page and every first read after a change cost. Query counts are those of a rendering.
"""

import secrets
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.models import ApiKey, Community, Member
from community.tenancy import community_scope

from . import loadgen


@dataclass
class Target:
    community: Community
    space_slug: str
    topic_id: int
    topic_replies: int
    member_id: int
    owner_user_id: int
    api_key: str
    member_cookies: list[str] | None = None  # session cookies of signed-in members (see member_sessions)


@dataclass
class PageResult:
    page: str
    page_load: loadgen.Load
    base_load: loadgen.Load

    @property
    def ratio(self) -> float:
        return self.page_load.rps / self.base_load.rps

    @property
    def p95_ratio(self) -> float:
        return self.page_load.p95_ms / self.base_load.p95_ms


def target(community: Community) -> Target:
    from discussions.models import Reply, Space, Topic

    with community_scope(community.pk):
        space = (
            Space.objects.for_community(community).annotate(n=Count("topics")).order_by("-n", "id").values("slug")[0]
        )
        topic = Topic.objects.for_community(community).order_by("-reply_count", "id").values("id", "reply_count")[0]
        # The busiest author who is an active member (profiles of pending or erased members are 404s).
        author = (
            Reply.objects.for_community(community)
            .filter(author__status="active")
            .values("author_id")
            .annotate(n=Count("id"))
            .order_by("-n", "author_id")[0]["author_id"]
        )
        owner = Member.objects.for_community(community).filter(role="owner", user__isnull=False).first()
        prefix = secrets.token_hex(6)
        raw = f"hth_{prefix}_{secrets.token_urlsafe(32)}"
        from community.services.api_keys import hash_key

        ApiKey.objects.create(
            community=community,
            name="bench",
            prefix=prefix,
            hashed_key=hash_key(raw),
            scopes=["activities:write", "discussions:read", "members:read"],
        )
    return Target(community, space["slug"], topic["id"], topic["reply_count"], author, owner.user_id, raw)


def member_sessions(t: Target, count: int = 8) -> list[str]:
    """Sign in `count` active members (users attached to generated members): one session cookie each.

    Several members, not one: each topic view writes the reader's read state, and one member on every
    connection would serialise on that row.
    """
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    with community_scope(t.community.pk):
        members = list(
            Member.objects.for_community(t.community)
            .filter(status="active", role="member", user__isnull=True)
            .order_by("id")[:count]
        )
        cookies = []
        for member in members:
            user = user_model.objects.create(
                username=f"bench-reader-{t.community.pk}-{member.pk}", email=f"reader{member.pk}@bench.example"
            )
            Member.objects.for_community(t.community).filter(pk=member.pk).update(user=user)
            client = Client()
            client.force_login(user)
            cookies.append(f"sessionid={client.cookies['sessionid'].value}")
    t.member_cookies = cookies
    return cookies


def pages(t: Target) -> list[tuple[str, str, str, dict]]:
    """(name, page path, baseline path, headers)."""
    slug, cid = t.community.slug, t.community.pk
    auth = {"Authorization": f"Bearer {t.api_key}"}
    return [
        ("community home", f"/c/{slug}/", f"/bench/c/{cid}/home/", {}),
        ("space topic list", f"/c/{slug}/d/s/{t.space_slug}/", f"/bench/c/{cid}/s/{t.space_slug}/", {}),
        (
            f"topic page ({t.topic_replies} replies)",
            f"/c/{slug}/d/t/{t.topic_id}/",
            f"/bench/c/{cid}/t/{t.topic_id}/",
            {},
        ),
        ("search", f"/c/{slug}/d/search/?q=webhook", f"/bench/c/{cid}/search/?q=webhook", {}),
        ("member profile", f"/c/{slug}/d/members/{t.member_id}/", f"/bench/c/{cid}/members/{t.member_id}/", {}),
        ("API topic list", "/api/v1/topics/", f"/bench/c/{cid}/api/topics/", auth),
    ]


def query_counts(small: Target, large: Target, repeats: int = 7) -> list[tuple[str, str, int, int, float, float]]:
    """[(page, who, queries small, queries large, ms small, ms large)] through Django's test client, in-process.

    The time (fastest of `repeats` reads: the least disturbed by other load on the machine) shows what the query count cannot: a query whose cost grows with data.
    The page cache is off here: these are the queries and the time of rendering the page.
    """
    from django.test import override_settings

    with override_settings(PAGE_CACHE_SECONDS=0):
        return _query_counts(small, large, repeats)


def _query_counts(small: Target, large: Target, repeats: int) -> list[tuple[str, str, int, int, float, float]]:
    from django.contrib.auth import get_user_model

    rows = []
    for who in ("anonymous", "member"):
        counts: dict[str, list] = {}
        for t in (small, large):
            client = Client()
            if who == "member":
                client.force_login(get_user_model().objects.get(pk=t.owner_user_id))
            for name, path, _base, headers in pages(t):
                name = name.split(" (")[0]
                if headers and who == "member":
                    continue  # the API page is read with the API key in both rows: count it once
                extra = {f"HTTP_{k.upper()}": v for k, v in headers.items()}
                client.get(path, **extra)  # warm: sessions, caches, first-use work
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path, **extra)
                if response.status_code != 200:
                    raise RuntimeError(f"{path} as {who} answered {response.status_code}")
                queries = len(ctx.captured_queries)  # now: the next request_started empties the log
                timings = []
                for _ in range(repeats):
                    start = time.perf_counter()
                    client.get(path, **extra)
                    timings.append(time.perf_counter() - start)
                counts.setdefault(name, []).append((queries, min(timings) * 1000))
        for name, ((q_small, ms_small), (q_large, ms_large)) in counts.items():
            who_label = "API key" if name.startswith("API") else who
            rows.append((name, who_label, q_small, q_large, ms_small, ms_large))
    return rows


def _rounds(url: str, base_url: str, seconds: float, rounds: int, connections: int, headers, cookies):
    """Page and baseline alternate in short rounds, so a burst of load from elsewhere hits both alike."""
    page_rounds, base_rounds = [], []
    for _ in range(rounds):
        page_rounds.append(loadgen.run(url, seconds / rounds, connections, headers, cookies))
        base_rounds.append(loadgen.run(base_url, seconds / rounds, connections, headers, cookies))
    return loadgen.combine(page_rounds), loadgen.combine(base_rounds)


# Measured again with the page cache off: the pages the targets name, and the home page.
RENDERED = ("community home", "space topic list", "topic page")


def load(env: dict[str, str], t: Target, seconds: float, connections: int, rounds: int = 2) -> list[PageResult]:
    results = _load(env, t, seconds, connections, rounds, cached=True)
    rendered = _load({**env, "HEARTH_PAGE_CACHE_SECONDS": "0"}, t, seconds, connections, rounds, cached=False)
    return results + rendered


def _load(env: dict[str, str], t: Target, seconds, connections, rounds, cached: bool) -> list[PageResult]:
    results = []
    with loadgen.Server(env) as server:
        for name, path, base, headers in pages(t):
            if not cached:
                if not name.startswith(RENDERED):
                    continue
                name = f"{name}, page cache off"
            for url in (path, base):  # warm both (template compile, plans, connections)
                loadgen.run(server.base + url, 1, connections, headers)
            page_load, base_load = _rounds(server.base + path, server.base + base, seconds, rounds, connections,
                                           headers, None)  # fmt: skip
            if page_load.failures or base_load.failures:
                raise RuntimeError(f"{name}: {page_load.failures} / {base_load.failures} failed requests")
            results.append(PageResult(name, page_load, base_load))
            _print(name, page_load, base_load)
            if cached and name.startswith("topic page") and t.member_cookies:
                # The same topic read by signed-in members: unread state, subscriptions, drafts, and the write
                # of the reader's read position on every view.
                name = f"{name}, signed-in members"
                page_load, base_load = _rounds(server.base + path, server.base + base, seconds, rounds, connections,
                                               {}, t.member_cookies)  # fmt: skip
                results.append(PageResult(name, page_load, base_load))
                _print(name, page_load, base_load)
    return results


def _print(name: str, page_load: loadgen.Load, base_load: loadgen.Load) -> None:
    print(
        f"  {name}: {page_load.rps:,.0f} req/s (p95 {page_load.p95_ms:.0f} ms) vs baseline "
        f"{base_load.rps:,.0f} req/s (p95 {base_load.p95_ms:.0f} ms) → {page_load.rps / base_load.rps:.2f}",
        flush=True,
    )
