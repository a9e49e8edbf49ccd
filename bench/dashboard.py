"""Dashboard and list reads at N vs 10N activities: the time must stay flat.

Two twin communities, generated from the same seed (same members, identities, owner), differ only in their
activity stream: N vs 10N. The same pages of both are read alternately, in-process through Django's test client
as the owner: the fastest of several reads per page (the read least disturbed by other load on a shared
machine), plus the SQL query count, which must not change either.
"""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.models import Activity, Community, Member
from community.tenancy import community_scope


@dataclass
class Read:
    page: str
    small_ms: float
    large_ms: float
    small_queries: int | str  # a string when the page failed (its error)
    large_queries: int | str

    @property
    def ratio(self) -> float:
        """small time / large time: 1.0 is flat, 0.5 means twice as slow at 10x the data."""
        return self.small_ms / self.large_ms


def activity_count(community: Community) -> int:
    with community_scope(community.pk):
        return Activity.objects.for_community(community).count()


def _pages(community: Community) -> list[tuple[str, str]]:
    with community_scope(community.pk):
        busiest = Member.objects.for_community(community).order_by("-activity_count", "id").values("pk")[0]["pk"]
    slug = community.slug
    return [
        ("Dashboard home", f"/c/{slug}/manage/"),
        ("Member directory (last active)", f"/c/{slug}/manage/members/"),
        ("Member directory (active since a date)", f"/c/{slug}/manage/members/?active_from=2026-10-01"),
        ("Member profile + timeline (most active member)", f"/c/{slug}/manage/members/{busiest}/profile/"),
        ("Activity API list", f"/api/v1/c/{slug}/activities/"),
        ("Activity API list, kind=message", f"/api/v1/c/{slug}/activities/?kind=message"),
    ]


def measure(community: Community, owner_user_id: int, repeats: int) -> dict[str, tuple[float, int | str]]:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=owner_user_id))
    out = {}
    for name, path in _pages(community):
        try:
            response = client.get(path)
        except Exception as error:  # a page broken by work in progress elsewhere must not stop the bench
            out[name] = (float("nan"), f"error: {type(error).__name__}")
            continue
        if response.status_code != 200:
            out[name] = (float("nan"), f"HTTP {response.status_code}")
            continue
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        queries = len(ctx.captured_queries)  # now: every request_started signal empties the log
        timings = []
        for _ in range(repeats):
            start = time.perf_counter()
            client.get(path)
            timings.append(time.perf_counter() - start)
        out[name] = (min(timings) * 1000, queries)
    return out


def grow_to(community: Community, target: int, seed: int, log=print) -> None:
    from .datagen.generate import Generator, Sizes

    missing = target - activity_count(community)
    if missing <= 0:
        return
    generator = Generator(Sizes(0, 0, 0, 0, 0), seed=seed, log=log)
    start = time.perf_counter()
    with transaction.atomic(), community_scope(community.pk):
        generator.add_activities(community, missing)
    generator.analyze()
    log(f"  {community.slug}: {missing:,} activities in {time.perf_counter() - start:.1f}s")


def twins(n: int, members: int, log=print) -> tuple[Community, Community]:
    """Two communities with the same members (same seed) and N vs 10N activities."""
    from .datagen.generate import Generator, Sizes

    pair = []
    for slug, size in ((f"dash-{n}", n), (f"dash-{n * 10}", n * 10)):
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            community = Generator(Sizes(0, 0, 0, 0, 0), seed=21, log=log).standalone_community(slug, members)
        grow_to(community, size, seed=22, log=log)
        pair.append(community)
    return pair[0], pair[1]


def run(n: int, members: int, repeats: int, log=print) -> tuple[list[Read], int, int]:
    """Read the same pages of the N and the 10N twin alternately (a burst of load elsewhere hits both alike)."""
    small, large = twins(n, members, log)
    owners = []
    for community in (small, large):
        with community_scope(community.pk):
            owners.append(Member.objects.for_community(community).get(role="owner", user__isnull=False).user_id)
    before: dict[str, list] = {}
    after: dict[str, list] = {}
    for _ in range(3):
        for community, owner, out in ((small, owners[0], before), (large, owners[1], after)):
            for name, (ms, queries) in measure(community, owner, max(1, repeats // 3)).items():
                entry = out.setdefault(name, [float("inf"), queries])
                entry[0] = min(entry[0], ms)
    reads = [Read(name, before[name][0], after[name][0], before[name][1], after[name][1]) for name in before]
    for r in reads:
        log(f"  {r.page}: {r.small_ms:.1f} ms → {r.large_ms:.1f} ms ({r.small_queries} → {r.large_queries} queries)")
    return reads, activity_count(small), activity_count(large)
