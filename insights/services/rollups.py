"""Keeping the rollups: member-days from activities, first days, then the per-day aggregates, all in SQL.

Incremental (`rollups_update`, after new activities commit): only the (member, local day) pairs the new rows touch
are recomputed from their activities, then first days of those members, then the day aggregates of the days that
changed (plus the 29 days after each, whose 30-day window now holds another active member). Every step recomputes
from the source rows instead of adding to counters, so a re-delivered task, a duplicate or a back-dated arrival
ends in exactly the rows `rollups_rebuild` makes for the same range (tests/insights/test_rollups.py).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection
from django.utils import timezone as dj_timezone

from community.errors import ServiceError
from community.models import Activity, Community, Member
from community.models.identity import Identity
from insights.models import DayStat, MemberDay, MemberFirstDay

STAFF_ROLES = ("owner", "admin", "manager", "moderator")
WINDOW_DAYS = 30  # stickiness: active on d / distinct active in [d-29, d]

_ACTIVITY = Activity._meta.db_table
_MEMBER = Member._meta.db_table
_IDENTITY = Identity._meta.db_table
_MEMBER_DAY = MemberDay._meta.db_table
_FIRST_DAY = MemberFirstDay._meta.db_table
_DAY_STAT = DayStat._meta.db_table

# A member's audience, from the member row `m` (LEFT JOINed: member 0 has none) and its identities. Bots: the
# member page's "bot" tag, or an identity whose platform profile says so (GitHub `type: Bot`, Slack `bot_id`,
# Discord and the Activity API `bot: true`). Staff: a staff role or the "team" tag.
AUDIENCE_SQL = f"""CASE
  WHEN m.tags @> ARRAY['bot']::varchar[] OR EXISTS (
    SELECT 1 FROM "{_IDENTITY}" i WHERE i.community_id = m.community_id AND i.member_id = m.id AND (
      i.profile ->> 'type' = 'Bot' OR coalesce(i.profile ->> 'bot_id', '') <> '' OR i.profile ->> 'bot' = 'true'
      OR i.profile ->> 'is_bot' = 'true'))
    THEN 'bot'
  WHEN m.role IN {STAFF_ROLES!r} OR m.tags @> ARRAY['team']::varchar[] THEN 'staff'
  ELSE 'member' END"""  # noqa: S608 - static identifiers only


def community_timezone(community: Community) -> str:
    name = (community.settings or {}).get("timezone") or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def timezone_validate(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(
            f"Unknown time zone {name!r}; use an IANA name such as Europe/Lisbon.", field="timezone"
        ) from None
    return name


def _local_today(tz: str) -> date:
    return dj_timezone.now().astimezone(ZoneInfo(tz)).date()


# Member-days of the given (member, day) pairs, recomputed from their activities. The two branches keep each on an
# index: (community, member, occurred_at) for members, (community, occurred_at) for activities whose member is gone.
_MEMBER_DAYS_SQL = f"""
WITH pairs AS (SELECT * FROM unnest(%(members)s::bigint[], %(days)s::date[]) AS p(member_id, day)),
rows AS (
  SELECT p.member_id, p.day, a.channel, a.kind, a.sentiment, a.sentiment_label
  FROM pairs p JOIN "{_ACTIVITY}" a ON a.community_id = %(community)s AND a.member_id = p.member_id
   AND a.occurred_at >= (p.day::timestamp AT TIME ZONE %(tz)s) AND a.occurred_at < ((p.day + 1)::timestamp AT TIME ZONE %(tz)s)
  WHERE p.member_id <> 0
  UNION ALL
  SELECT 0, p.day, a.channel, a.kind, a.sentiment, a.sentiment_label
  FROM pairs p JOIN "{_ACTIVITY}" a ON a.community_id = %(community)s AND a.member_id IS NULL
   AND a.occurred_at >= (p.day::timestamp AT TIME ZONE %(tz)s) AND a.occurred_at < ((p.day + 1)::timestamp AT TIME ZONE %(tz)s)
  WHERE p.member_id = 0
)
{{insert}}"""  # noqa: S608

# Shared tail: `rows` (member_id, day, channel, kind, sentiment, sentiment_label) grouped into member-days.
_INSERT_MEMBER_DAYS = f"""
, kinds AS (
  SELECT member_id, day, channel, kind, count(*) AS n, sum(sentiment) AS s, count(sentiment) AS sc,
         count(*) FILTER (WHERE sentiment IS NOT NULL AND sentiment_label = 'negative') AS neg
  FROM rows GROUP BY member_id, day, channel, kind
)
INSERT INTO "{_MEMBER_DAY}" (community_id, member_id, day, channel, audience, activities, kinds, sentiment_sum,
                             sentiment_count, negative_count)
SELECT %(community)s, k.member_id, k.day, k.channel, {AUDIENCE_SQL}, sum(k.n), jsonb_object_agg(k.kind, k.n),
       coalesce(sum(k.s), 0), sum(k.sc), sum(k.neg)
FROM kinds k LEFT JOIN "{_MEMBER}" m ON m.community_id = %(community)s AND m.id = k.member_id
GROUP BY k.member_id, k.day, k.channel, m.id, m.community_id, m.tags, m.role
ON CONFLICT (community_id, day, member_id, channel) DO UPDATE SET
  audience = EXCLUDED.audience, activities = EXCLUDED.activities, kinds = EXCLUDED.kinds,
  sentiment_sum = EXCLUDED.sentiment_sum, sentiment_count = EXCLUDED.sentiment_count,
  negative_count = EXCLUDED.negative_count
"""  # noqa: S608

_RANGE_ROWS_SQL = f"""
WITH rows AS (
  SELECT coalesce(a.member_id, 0) AS member_id, (a.occurred_at AT TIME ZONE %(tz)s)::date AS day, a.channel, a.kind,
         a.sentiment, a.sentiment_label
  FROM "{_ACTIVITY}" a
  WHERE a.community_id = %(community)s AND a.occurred_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s)
    AND a.occurred_at < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
)
{{insert}}"""  # noqa: S608

# First days of the given members from their member-days (index memberday_member), upserted; returns old and new.
_FIRST_DAYS_SQL = f"""
WITH firsts AS (
  SELECT member_id, min(day) AS first_day FROM "{_MEMBER_DAY}"
  WHERE community_id = %(community)s AND member_id = ANY(%(members)s::bigint[]) AND member_id <> 0
  GROUP BY member_id
), old AS (
  SELECT member_id, first_day FROM "{_FIRST_DAY}"
  WHERE community_id = %(community)s AND member_id = ANY(%(members)s::bigint[])
), upserted AS (
  INSERT INTO "{_FIRST_DAY}" (community_id, member_id, first_day)
  SELECT %(community)s, member_id, first_day FROM firsts
  ON CONFLICT (community_id, member_id) DO UPDATE SET first_day = EXCLUDED.first_day
  RETURNING first_day
)
SELECT first_day FROM old UNION SELECT first_day FROM upserted
"""  # noqa: S608

# Day aggregates of the given days, recomputed from member-days; the all-channels rows ("") come from the same
# GROUPING SETS pass. A day's old rows go first, so a day that lost every row (a rebuild after a merge) is empty.
_DELETE_DAY_STATS_SQL = f"""
DELETE FROM "{_DAY_STAT}" WHERE community_id = %(community)s AND day = ANY(%(days)s::date[])
"""  # noqa: S608
_DAY_STATS_SQL = f"""
WITH days AS (SELECT DISTINCT unnest(%(days)s::date[]) AS day),
per_day AS (
  SELECT md.day, CASE WHEN grouping(md.channel) = 1 THEN '' ELSE md.channel END AS channel, md.audience,
         sum(md.activities) AS activities, count(DISTINCT nullif(md.member_id, 0)) AS active_members,
         count(DISTINCT md.member_id) FILTER (WHERE f.first_day = md.day) AS new_members,
         sum(md.sentiment_sum) AS sentiment_sum, sum(md.sentiment_count) AS sentiment_count,
         sum(md.negative_count) AS negative_count
  FROM "{_MEMBER_DAY}" md JOIN days ON md.day = days.day
  LEFT JOIN "{_FIRST_DAY}" f ON f.community_id = %(community)s AND f.member_id = md.member_id
  WHERE md.community_id = %(community)s
  GROUP BY GROUPING SETS ((md.day, md.channel, md.audience), (md.day, md.audience))
),
windowed AS (
  SELECT days.day, CASE WHEN grouping(md.channel) = 1 THEN '' ELSE md.channel END AS channel, md.audience,
         count(DISTINCT nullif(md.member_id, 0)) AS active_30d
  FROM days JOIN "{_MEMBER_DAY}" md ON md.community_id = %(community)s
   AND md.day BETWEEN days.day - {WINDOW_DAYS - 1} AND days.day
  GROUP BY GROUPING SETS ((days.day, md.channel, md.audience), (days.day, md.audience))
)
INSERT INTO "{_DAY_STAT}" (community_id, day, channel, audience, activities, active_members, new_members,
                           active_members_30d, sentiment_sum, sentiment_count, negative_count)
SELECT %(community)s, w.day, w.channel, w.audience, coalesce(p.activities, 0), coalesce(p.active_members, 0),
       coalesce(p.new_members, 0), w.active_30d, coalesce(p.sentiment_sum, 0), coalesce(p.sentiment_count, 0),
       coalesce(p.negative_count, 0)
FROM windowed w LEFT JOIN per_day p ON p.day = w.day AND p.channel = w.channel AND p.audience = w.audience
"""  # noqa: S608


def _day_stats(community_id: int, days: set[date]) -> None:
    if days:
        params = {"community": community_id, "days": sorted(days)}
        with connection.cursor() as cursor:
            cursor.execute(_DELETE_DAY_STATS_SQL, params)
            cursor.execute(_DAY_STATS_SQL, params)


def _followers(days: set[date], until: date) -> set[date]:
    """The days whose 30-day window holds one of `days`: each day and the 29 after it, up to `until`."""
    return {d + timedelta(n) for d in days for n in range(WINDOW_DAYS) if d + timedelta(n) <= max(until, d)}


def rollups_update(*, community: Community, activity_ids: list[int]) -> int:
    """Refresh the rollups for the days these (new) activities touch; returns the member-days rewritten."""
    if not activity_ids:
        return 0
    tz = community_timezone(community)
    params = {"community": community.pk, "ids": list(activity_ids), "tz": tz}
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT DISTINCT coalesce(member_id, 0), (occurred_at AT TIME ZONE %(tz)s)::date FROM "{_ACTIVITY}" '  # noqa: S608
            "WHERE community_id = %(community)s AND id = ANY(%(ids)s::bigint[])",
            params,
        )
        pairs = cursor.fetchall()
        if not pairs:
            return 0
        members = [m for m, _ in pairs]
        cursor.execute(
            _MEMBER_DAYS_SQL.format(insert=_INSERT_MEMBER_DAYS),
            {**params, "members": members, "days": [d for _, d in pairs]},
        )
        written = cursor.rowcount
        cursor.execute(_FIRST_DAYS_SQL, {"community": community.pk, "members": sorted(set(members))})
        first_days = {row[0] for row in cursor.fetchall()}
    touched = {d for _, d in pairs}
    _day_stats(community.pk, _followers(touched, _local_today(tz)) | first_days)
    return written


def rollups_rebuild(*, community: Community, start: date, end: date) -> int:
    """Recompute every rollup row of the local days start..end from the activities (conversations started in the
    range included); returns member-days written.

    First days are recomputed for every member active in the range (from all their member-days), and the day
    aggregates for the range plus the 29 days after it, as the incremental path does.
    """
    if end < start:
        raise ServiceError("end is before start.", field="end")
    tz = community_timezone(community)
    params = {"community": community.pk, "tz": tz, "start": start, "end": end}
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{_MEMBER_DAY}" WHERE community_id = %(community)s AND day BETWEEN %(start)s AND %(end)s',  # noqa: S608
            params,
        )
        cursor.execute(_RANGE_ROWS_SQL.format(insert=_INSERT_MEMBER_DAYS), params)
        written = cursor.rowcount
        cursor.execute(
            f'SELECT DISTINCT member_id FROM "{_MEMBER_DAY}" WHERE community_id = %(community)s '  # noqa: S608
            "AND day BETWEEN %(start)s AND %(end)s",
            params,
        )
        members = [row[0] for row in cursor.fetchall()]
        # Members whose first day sat in the range but who have no member-day there any more keep a stale row:
        # recompute them too.
        cursor.execute(
            f'SELECT member_id FROM "{_FIRST_DAY}" WHERE community_id = %(community)s '  # noqa: S608
            "AND first_day BETWEEN %(start)s AND %(end)s",
            params,
        )
        members = sorted(set(members) | {row[0] for row in cursor.fetchall()})
        cursor.execute(
            f'DELETE FROM "{_FIRST_DAY}" f WHERE community_id = %(community)s AND member_id = ANY(%(members)s::bigint[]) '  # noqa: S608
            f'AND NOT EXISTS (SELECT 1 FROM "{_MEMBER_DAY}" md WHERE md.community_id = f.community_id '
            "AND md.member_id = f.member_id)",
            {**params, "members": members},
        )
        cursor.execute(_FIRST_DAYS_SQL, {"community": community.pk, "members": members})
        first_days = {row[0] for row in cursor.fetchall()}
        # Day aggregates of the range and the 29 days after it go; they come back for the days that have
        # member-days (or a window holding some), so a rebuild "since 2000" costs what the history holds.
        cursor.execute(
            f'DELETE FROM "{_DAY_STAT}" WHERE community_id = %(community)s '  # noqa: S608
            f"AND day BETWEEN %(start)s AND %(end)s::date + {WINDOW_DAYS - 1}",
            params,
        )
        cursor.execute(
            f'SELECT min(day), max(day) FROM "{_MEMBER_DAY}" WHERE community_id = %(community)s '  # noqa: S608
            "AND day BETWEEN %(start)s AND %(end)s",
            params,
        )
        low, high = cursor.fetchone()
    days = {low + timedelta(n) for n in range((high - low).days + 1)} if low else set()
    _day_stats(community.pk, _followers(days, _local_today(tz)) | first_days)
    from .conversations import conversations_rebuild  # it builds on this module's audience rule
    from .hourly import hourstats_rebuild

    conversations_rebuild(community=community, start=start, end=end)
    zone = ZoneInfo(tz)
    hourstats_rebuild(
        community=community,
        start=datetime.combine(start, time(), zone),
        end=datetime.combine(end + timedelta(days=1), time(), zone),
    )
    return written
