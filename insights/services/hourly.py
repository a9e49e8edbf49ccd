"""Hourly rollups (UTC hour x channel) the crisis watch reads its baseline from, recomputed in SQL from the
activities of just the hours new activities touch, so a re-delivery or a back-dated arrival ends in the same rows
as `hourstats_rebuild`. Imported history counts here (it is the community's normal); the watch's current window
leaves out late arrivals itself."""

from datetime import datetime

from django.db import connection

from community.models import Activity, Community
from insights.models import HourStat

_ACTIVITY = Activity._meta.db_table
_HOUR_STAT = HourStat._meta.db_table

_AGGREGATE = """count(*), count(a.sentiment),
       count(*) FILTER (WHERE a.sentiment IS NOT NULL AND a.sentiment_label = 'negative')"""

_HOURS = f"""hours AS (
  SELECT DISTINCT date_trunc('hour', occurred_at) AS hour FROM "{_ACTIVITY}"
  WHERE community_id = %(community)s AND id = ANY(%(ids)s::bigint[])
)"""  # noqa: S608

# The touched hours' rows go first (their own statement: one statement may not delete and upsert one row), so an
# hour that lost its activities (a merge, a deletion) ends empty.
_DELETE_SQL = f"""
WITH {_HOURS}
DELETE FROM "{_HOUR_STAT}" h USING hours WHERE h.community_id = %(community)s AND h.hour = hours.hour
"""  # noqa: S608
_UPDATE_SQL = f"""
WITH {_HOURS}
INSERT INTO "{_HOUR_STAT}" (community_id, hour, channel, activities, scored, negative)
SELECT %(community)s, hours.hour, a.channel, {_AGGREGATE}
FROM hours JOIN "{_ACTIVITY}" a ON a.community_id = %(community)s
 AND a.occurred_at >= hours.hour AND a.occurred_at < hours.hour + interval '1 hour'
GROUP BY hours.hour, a.channel
ON CONFLICT (community_id, hour, channel) DO UPDATE SET
  activities = EXCLUDED.activities, scored = EXCLUDED.scored, negative = EXCLUDED.negative
"""  # noqa: S608 - static identifiers only

_BOUNDS = """bounds AS (
  SELECT date_trunc('hour', %(start)s::timestamptz) AS low,
         date_trunc('hour', %(end)s::timestamptz - interval '1 microsecond') + interval '1 hour' AS high
)"""
_DELETE_RANGE_SQL = f"""
WITH {_BOUNDS}
DELETE FROM "{_HOUR_STAT}" h USING bounds WHERE h.community_id = %(community)s AND h.hour >= bounds.low
 AND h.hour < bounds.high
"""  # noqa: S608
# Both ends rounded out to whole hours (a local day in a +05:30 zone does not end on a UTC hour).
_REBUILD_SQL = f"""
WITH {_BOUNDS}
INSERT INTO "{_HOUR_STAT}" (community_id, hour, channel, activities, scored, negative)
SELECT %(community)s, date_trunc('hour', a.occurred_at), a.channel, {_AGGREGATE}
FROM bounds, "{_ACTIVITY}" a WHERE a.community_id = %(community)s
 AND a.occurred_at >= bounds.low AND a.occurred_at < bounds.high
GROUP BY 2, 3
ON CONFLICT (community_id, hour, channel) DO UPDATE SET
  activities = EXCLUDED.activities, scored = EXCLUDED.scored, negative = EXCLUDED.negative
"""  # noqa: S608


def hourstats_update(*, community: Community, activity_ids: list[int]) -> int:
    """Recompute the hours these (new or re-scored) activities fall in; two statements whatever the batch."""
    if not activity_ids:
        return 0
    with connection.cursor() as cursor:
        params = {"community": community.pk, "ids": list(activity_ids)}
        cursor.execute(_DELETE_SQL, params)
        cursor.execute(_UPDATE_SQL, params)
        return cursor.rowcount


def hourstats_rebuild(*, community: Community, start: datetime, end: datetime) -> int:
    """Recompute every hour from the one holding `start` up to `end` (exclusive, on an hour) from the activities."""
    with connection.cursor() as cursor:
        params = {"community": community.pk, "start": start, "end": end}
        cursor.execute(_DELETE_RANGE_SQL, params)
        cursor.execute(_REBUILD_SQL, params)
        return cursor.rowcount
