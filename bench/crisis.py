"""The crisis watch's evaluation at N vs 10N (vs 100N) activities: queries equal, time flat.

Uses the dashboard's twin communities (same members, only the activity stream differs). Each twin's hourly rollups
are rebuilt from its whole history first (timed: the cost of the data migration's back-fill and of a rebuild), then
`alerts_evaluate` runs in turns with the default rules, at the twin's newest activity (so the windows hold data):
the fastest of several runs and its query count.
"""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Max, Min
from django.test.utils import CaptureQueriesContext

from community.models import Activity, Community
from community.tenancy import community_scope


@dataclass
class Evaluation:
    slug: str
    activities: int
    rebuild_seconds: float
    ms: float
    queries: int
    alerts: int


def _span(community: Community):
    with community_scope(community.pk):
        return Activity.objects.for_community(community).aggregate(low=Min("occurred_at"), high=Max("occurred_at"))


def _evaluate(community: Community, now) -> tuple[float, int, int]:
    from insights.services.crisis import alerts_evaluate

    with transaction.atomic(), community_scope(community.pk), CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        raised = alerts_evaluate(community=community, now=now)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)  # measure the read, leave no alerts behind
    return elapsed * 1000, len(ctx.captured_queries), len(raised)


def run(communities: list[Community], counts: list[int], repeats: int, log=print) -> list[Evaluation]:
    from insights.services.crisis import crisis_watch_ensure
    from insights.services.hourly import hourstats_rebuild

    results, nows = [], []
    for community, n in zip(communities, counts, strict=True):
        span = _span(community)
        start = time.perf_counter()
        with transaction.atomic(), community_scope(community.pk):
            crisis_watch_ensure(community=community)
            hourstats_rebuild(community=community, start=span["low"], end=span["high"] + timedelta(hours=1))
        rebuilt = time.perf_counter() - start
        log(f"  {community.slug}: hourly rollups of {n:,} activities rebuilt in {rebuilt:.1f}s")
        nows.append(span["high"] + timedelta(minutes=1))
        results.append(Evaluation(community.slug, n, rebuilt, float("inf"), 0, 0))
    for _ in range(repeats):  # in turns: a burst of load elsewhere hits every size alike
        for community, now, result in zip(communities, nows, results, strict=True):
            ms, queries, raised = _evaluate(community, now)
            result.ms, result.queries, result.alerts = min(result.ms, ms), queries, raised
    for r in results:
        log(f"  {r.slug}: evaluation {r.ms:.1f} ms, {r.queries} queries, {r.alerts} alerts")
    return results
