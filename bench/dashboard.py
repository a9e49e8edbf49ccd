"""Dashboard and list reads at N vs 10N vs 100N activities: the time must stay flat.

Twin communities, generated from the same seed (same members, identities, owner), differ only in their
activity stream (full: 100k, 1M and 10M activities). The same pages of every twin are read in turns, in-process
through Django's test client as the owner: the fastest of several reads per page (the read least disturbed by
other load on a shared machine), plus the SQL query count, which must not change either.
"""

import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.models import Activity, Community, Member
from community.tenancy import community_scope

# Rows generated and written per transaction while growing a twin: bounds the generator's memory (a 10M stream
# in one go would hold every row in Python) and makes growth resumable, since each chunk is committed.
GROW_CHUNK = 250_000


@dataclass
class Read:
    page: str
    ms: list[float]  # fastest read at each size, smallest first
    queries: list[int | str]  # a string when the page failed (its error)

    def ratio(self, index: int) -> float:
        """Time at the smallest size / time at size `index`: 1.0 is flat, 0.5 means twice as slow."""
        return self.ms[0] / self.ms[index]

    @property
    def failed(self) -> bool:
        return any(isinstance(q, str) for q in self.queries)


@dataclass
class Growth:
    """How one twin was grown (nothing when it already held its activities: a re-run with --reuse)."""

    slug: str
    rows: int = 0
    seconds: float = 0.0  # end to end: text generation, COPY, member counters
    copy_seconds: float = 0.0  # the COPY itself (index maintenance included)

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def copy_rate(self) -> float:
        return self.rows / self.copy_seconds if self.copy_seconds else 0.0


def label(n: int) -> str:
    """100k, 1M, 10M: a table header."""
    return f"{n / 1_000_000:g}M" if n >= 1_000_000 else f"{n / 1_000:g}k"


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
        (
            "Member directory (active in a window)",
            f"/c/{slug}/manage/members/?active_from=2026-09-01&active_to=2026-09-30",
        ),
        ("Member profile + timeline (most active member)", f"/c/{slug}/manage/members/{busiest}/profile/"),
        ("Members API list, active since a date", f"/api/v1/c/{slug}/members/?active_from=2026-10-01"),
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


BULK_SETTINGS = {"synchronous_commit": "off", "gin_pending_list_limit": "64MB", "maintenance_work_mem": "256MB"}


def _bulk_session(on: bool) -> None:
    """Session settings for the bench's own bulk load only (reset before the reads): no fsync wait per chunk,
    a larger GIN pending list so the full-text index is merged in fewer, bigger batches."""
    with connection.cursor() as cursor:
        for name, value in BULK_SETTINGS.items():
            cursor.execute(f"SET {name} = '{value}'" if on else f"RESET {name}")


def grow_to(community: Community, target: int, seed: int, log=print) -> Growth:
    """Grow the twin's stream to `target` activities through the generator's COPY writer, in committed chunks.

    Re-runnable: it counts what is there and adds only what is missing (an interrupted growth resumes). Each
    chunk's seed follows from the count it starts at, so the same target gives the same rows.
    """
    from .datagen.generate import Generator, Sizes

    growth = Growth(community.slug)
    have = activity_count(community)
    if have >= target:
        return growth
    _bulk_session(True)
    start = time.perf_counter()
    try:
        _grow(community, target, seed, have, growth, start, log)
    finally:
        _bulk_session(False)
    Generator(Sizes(0, 0, 0, 0, 0), log=log).analyze()
    growth.seconds = time.perf_counter() - start
    vacuum(log)
    return growth


def vacuum(log=print) -> None:
    """VACUUM the grown tables, as autovacuum would soon: until then the visibility map is empty and every
    index-only scan visits the heap (the reads would measure the bulk load's aftermath, not the page)."""
    if "owner" not in connections.databases:
        return
    start = time.perf_counter()
    with connections["owner"].cursor() as cursor:
        for table in ("community_activity", "community_member"):
            cursor.execute(f'VACUUM "{table}"')
    log(f"  VACUUM after growth: {time.perf_counter() - start:.0f}s")


def _grow(community: Community, target: int, seed: int, have: int, growth: Growth, start: float, log) -> None:
    from .datagen.generate import Generator, Sizes

    while have < target:
        chunk = min(GROW_CHUNK, target - have)
        generator = Generator(Sizes(0, 0, 0, 0, 0), seed=seed * 1_000_003 + have, method="copy", log=log)
        with transaction.atomic(), community_scope(community.pk):
            generator.add_activities(community, chunk)
        have += chunk
        growth.rows += chunk
        growth.copy_seconds += generator.writer.seconds.get("community_activity", 0.0)
        elapsed = time.perf_counter() - start
        log(
            f"  {community.slug}: {have:,}/{target:,} activities ({growth.rows / elapsed:,.0f} rows/s end to end, "
            f"COPY {growth.rows / max(growth.copy_seconds, 1e-9):,.0f} rows/s)"
        )


def twins(sizes: tuple[int, ...], members: int, log=print) -> tuple[list[Community], list[Growth]]:
    """Communities with the same members (same seed) and `sizes` activities each, smallest first."""
    from .datagen.generate import Generator, Sizes

    communities, growths = [], []
    for size in sizes:
        slug = f"dash-{members}m-{size}"  # the member count too: quick and full twins may share a database
        community = Community.objects.filter(slug=slug).first()
        if community is None:
            community = Generator(Sizes(0, 0, 0, 0, 0), seed=21, log=log).standalone_community(slug, members)
        growths.append(grow_to(community, size, seed=22, log=log))
        communities.append(community)
    return communities, growths


def table_size() -> str:
    """The activity table with its indexes, for the report (the owner may read every relation's size)."""
    alias = "owner" if "owner" in connections.databases else "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('community_activity')), "
            "pg_size_pretty(pg_indexes_size('community_activity'))"
        )
        table, indexes = cursor.fetchone()
    return f"activity table {table} + indexes {indexes}"


def run(sizes: tuple[int, ...], members: int, repeats: int, log=print) -> tuple[list[Read], list[int], list[Growth]]:
    """Read the same pages of every twin in turns (a burst of load elsewhere hits every size alike)."""
    communities, growths = twins(sizes, members, log)
    owners = []
    for community in communities:
        with community_scope(community.pk):
            owners.append(Member.objects.for_community(community).get(role="owner", user__isnull=False).user_id)
    best: list[dict[str, list]] = [{} for _ in communities]
    for _ in range(3):
        for community, owner, out in zip(communities, owners, best, strict=True):
            for name, (ms, queries) in measure(community, owner, max(1, repeats // 3)).items():
                entry = out.setdefault(name, [float("inf"), queries])
                entry[0] = min(entry[0], ms)
    reads = [Read(name, [b[name][0] for b in best], [b[name][1] for b in best]) for name in best[0]]
    for r in reads:
        times = " → ".join(f"{ms:.1f}" for ms in r.ms)
        log(f"  {r.page}: {times} ms ({' → '.join(str(q) for q in r.queries)} queries)")
    return reads, [activity_count(c) for c in communities], growths
