"""Weeks of synthetic activity written set-based (one INSERT … SELECT from generate_series per batch), then the
hourly rollups rebuilt by the service: what the crisis-watch tests evaluate against."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.db import connection

from community.models import Activity
from community.tenancy import community_scope
from insights.services.hourly import hourstats_rebuild

# A Monday, half past ten UTC: the busiest hour of the week in the default rhythm.
NOW = datetime(2026, 11, 30, 10, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)

_INSERT = f"""
INSERT INTO "{Activity._meta.db_table}" (community_id, kind, channel, source, external_id, occurred_at, title, body,
  url, parent_external_id, sentiment, sentiment_label, extra, created_at)
SELECT %(community)s, 'message', p.channel, p.channel, %(tag)s || '-' || p.i || '-' || g,
       p.hour + (g - 0.5) * (p.span / p.n), '',
       CASE WHEN g <= p.neg THEN p.negative_text ELSE 'thanks, all good here' END, '', '',
       CASE WHEN g <= p.neg THEN -0.5 - 0.4 * g / p.n ELSE 0.4 END,
       CASE WHEN g <= p.neg THEN 'negative' ELSE 'positive' END, '{{}}'::jsonb,
       coalesce(%(arrived)s, p.hour + (g - 0.5) * (p.span / p.n) + interval '1 minute')
FROM unnest(%(hours)s::timestamptz[], %(channels)s::text[], %(ns)s::int[], %(negs)s::int[], %(spans)s::interval[],
            %(texts)s::text[]) WITH ORDINALITY AS p(hour, channel, n, neg, span, negative_text, i),
     generate_series(1, p.n) AS g
RETURNING id
"""


def rhythm(at: datetime) -> float:
    """Activities per hour on a normal week: busy weekday office hours, a Monday rush, quiet nights and weekends."""
    weekday, hour = at.weekday(), at.hour
    if weekday >= 5:
        return 6.0
    if 8 <= hour < 18:
        return 60.0 if weekday == 0 else 24.0
    return 4.0


def insert(community, buckets, *, tag: str, arrived: datetime | None = None) -> list[int]:
    """buckets: (start, channel, count, negatives, span, negative text); rows spread evenly over each span."""
    buckets = [b for b in buckets if b[2] > 0]
    if not buckets:
        return []
    params = {
        "community": community.pk, "tag": tag, "arrived": arrived,
        "hours": [b[0] for b in buckets], "channels": [b[1] for b in buckets], "ns": [b[2] for b in buckets],
        "negs": [b[3] for b in buckets], "spans": [b[4] for b in buckets], "texts": [b[5] for b in buckets],
    }  # fmt: skip
    with community_scope(community.pk), connection.cursor() as cursor:
        cursor.execute(_INSERT, params)
        return [row[0] for row in cursor.fetchall()]


def weeks(
    community, *, until: datetime = NOW, count: int = 5, rate: Callable[[datetime], float] = rhythm,
    growth: float = 1.0, negative_share: float = 0.08, channels=("discord", "github"), seed: int = 17,
    tag: str = "week", arrived: datetime | None = None, shift: timedelta = timedelta(0),
) -> list[int]:  # fmt: skip
    """`count` weeks of hourly activity up to `until` (noise ±20%, `growth` per week), then the hourly rollups."""
    rng = random.Random(seed)
    start = until.replace(minute=0) - timedelta(weeks=count)
    buckets, hour = [], start
    while hour < until:
        week = (hour - start) / timedelta(weeks=1)
        for channel in channels:
            n = round(rate(hour) * growth**week * rng.uniform(0.8, 1.2) / len(channels))
            neg = sum(rng.random() < negative_share for _ in range(n))
            span = min(HOUR, until - hour)
            buckets.append((hour + shift, channel, n, neg, span, "this is bad"))
        hour += HOUR
    ids = insert(community, buckets, tag=tag, arrived=arrived)
    rollup(community, start + shift - HOUR, until + shift + HOUR)
    return ids


def rollup(community, start: datetime, end: datetime) -> None:
    with community_scope(community.pk):
        hourstats_rebuild(community=community, start=start, end=end)
