"""Reads of the dashboard beyond the metric series: cohorts, churn risk, contributors, threads, channels, health.

Every read is one SQL statement over the rollups (or, for threads and tags, the period's activities through the
`(community, occurred_at)` index), so its cost follows the period asked for, never the history. Each figure is
defined once in FIGURES; the dashboard shows that text next to it and docs/insights.md repeats it.
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection

from community.models import Activity, Community, Member
from insights.models import Conversation, MemberDay, MemberFirstDay

from .metrics import AUDIENCE_NOTE, Query, metric_read
from .services.rollups import AUDIENCE_SQL, community_timezone

_MEMBER_DAY = MemberDay._meta.db_table
_FIRST_DAY = MemberFirstDay._meta.db_table
_MEMBER = Member._meta.db_table
_ACTIVITY = Activity._meta.db_table
_CONVERSATION = Conversation._meta.db_table

COHORT_WEEKS = 8  # weeks after the cohort's own week shown in the heat map
LIST_SIZE = 10
CHURN_ACTIVE_WEEKS, CHURN_LOOKBACK_WEEKS, CHURN_SILENT_WEEKS = 3, 8, 3

FIGURES = {
    "retention": f"Weekly cohorts: the members whose first activity on any channel falls in one week (Monday to "
    f"Sunday), for the {COHORT_WEEKS + 1} weeks up to the period's last day. Week 0 is that week (100 %); week n "
    "is the share of the cohort active in the n-th week after it, up to the period's last day (later weeks are "
    "blank). The channel filter does not apply.",
    "churn_risk": f"Members active in at least {CHURN_ACTIVE_WEEKS} of the {CHURN_LOOKBACK_WEEKS} weeks before "
    f"the last {CHURN_SILENT_WEEKS} weeks of the period, and silent (no activity on any channel) in those last "
    f"{CHURN_SILENT_WEEKS * 7} days. Weeks are 7-day blocks counted back from the period's last day.",
    "top_contributors": "Members with the most activities in the period (ties: the lower member id first).",
    "rising_members": "Members whose activities grew most against the previous period of the same length "
    "(only growth counts; ties: more activities in the period first).",
    "top_topics": "Threads with the most activities in the period: a conversation's starting activity and "
    "everything whose parent it is, counted by the activity's own day.",
    "top_tags": "Tags of the threads active in the period (forum topics carry theirs), by the activities of "
    "those threads in the period.",
    "negative_topics": "Threads of the period whose scored activities have a negative mean sentiment, most negative "
    "first (among the 500 busiest threads of the period).",
    "channels": "Activities and distinct active members of each channel in the period.",
    "health": "0-100: the sum of five parts worth up to 20 points each, written out below the score.",
}
FIGURES = {name: text + AUDIENCE_NOTE for name, text in FIGURES.items()}

# The health score: five parts of up to 20 points. Written once; the page and docs/insights.md show this text.
HEALTH_PARTS = {
    "growth": "10 + 10 x (active members' change against the previous period ÷ 50 %), clipped to 0 … 20: flat "
    "is 10, +50 % or more is 20, -50 % or worse is 0 (20 when the previous period had nobody and this one has "
    "someone, 10 when both are empty).",
    "activity": "20 x stickiness ÷ 0.2, at most 20: a daily-active ÷ monthly-active ratio of 20 % or more "
    "scores full marks.",
    "responsiveness": "10 x response rate + 10 x (1 - median response time ÷ 48 h, at least 0); 0 when no "
    "conversation started in the period.",
    "retention": "20 x the share of the previous period's active members who are active again in this period; "
    "0 when nobody was active in the previous period.",
    "sentiment": "20 x (sentiment mean + 1) ÷ 2: -1 is 0, neutral is 10, +1 is 20; 10 when nothing was scored.",
}
HEALTH_WEIGHT = 20


@dataclass(frozen=True)
class Period:
    """The dashboard's question: a range of local days and who counts."""

    start: date
    end: date
    channel: str = ""
    include_staff: bool = False
    include_bots: bool = False
    members: tuple[int, ...] | None = None  # a saved segment's members; None: everyone

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> "Period":
        return Period(
            start=self.start - timedelta(self.days), end=self.start - timedelta(1), channel=self.channel,
            include_staff=self.include_staff, include_bots=self.include_bots, members=self.members,
        )  # fmt: skip

    @property
    def audiences(self) -> list[str]:
        return ["member"] + (["staff"] if self.include_staff else []) + (["bot"] if self.include_bots else [])

    def query(self, name: str, interval: str = "day") -> Query:
        return Query(
            name=name, start=self.start, end=self.end, interval=interval, channel=self.channel,
            include_staff=self.include_staff, include_bots=self.include_bots, members=self.members,
        )  # fmt: skip

    def segment(self, alias: str = "") -> str:
        """SQL keeping the segment's members (nothing without a segment)."""
        column = f"{alias}.member_id" if alias else "member_id"
        return "" if self.members is None else f"AND {column} = ANY(%(members)s)"


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _params(community: Community, period: Period, **extra) -> dict:
    return {
        "community": community.pk, "start": period.start, "end": period.end, "channel": period.channel,
        "audiences": period.audiences, "tz": community_timezone(community), "members": list(period.members or ()),
        **extra,
    }  # fmt: skip


# --- retention by weekly cohort


@dataclass
class Cohort:
    week: date
    size: int
    shares: list[float | None] = field(default_factory=list)  # week 0 … COHORT_WEEKS; None: after the period


_RETENTION_SQL = f"""
WITH cohort AS (
  SELECT f.member_id, date_trunc('week', f.first_day)::date AS week FROM "{_FIRST_DAY}" f
  WHERE f.community_id = %(community)s AND f.first_day BETWEEN %(first)s AND %(end)s AND f.member_id <> 0 {{segment}}
    AND EXISTS (SELECT 1 FROM "{_MEMBER_DAY}" md WHERE md.community_id = f.community_id
                AND md.member_id = f.member_id AND md.day = f.first_day AND md.audience = ANY(%(audiences)s))
), active AS (
  SELECT DISTINCT member_id, date_trunc('week', day)::date AS week FROM "{_MEMBER_DAY}"
  WHERE community_id = %(community)s AND day BETWEEN %(first)s AND %(last)s AND member_id <> 0
    AND audience = ANY(%(audiences)s)
)
SELECT c.week, (a.week - c.week) / 7, count(*) FROM cohort c
JOIN active a ON a.member_id = c.member_id AND a.week >= c.week AND a.week <= c.week + {7 * COHORT_WEEKS}
GROUP BY 1, 2 ORDER BY 1, 2
"""  # noqa: S608


def retention_cohorts(*, community: Community, period: Period) -> list[Cohort]:
    """The weekly cohorts of first activity up to the period's end, with the share active in each following week."""
    first = period.end - timedelta(period.end.weekday() + 7 * COHORT_WEEKS)
    counts: dict[date, dict[int, int]] = {}
    sql = _RETENTION_SQL.format(segment=period.segment("f"))
    for week, offset, count in _rows(sql, _params(community, period, first=first, last=period.end)):
        counts.setdefault(week, {})[offset] = count
    cohorts = []
    for week, by_offset in counts.items():
        size = by_offset.get(0, 0)
        shares: list[float | None] = []
        for offset in range(COHORT_WEEKS + 1):
            started = week + timedelta(7 * offset)
            shares.append(round(by_offset.get(offset, 0) / size, 4) if size and started <= period.end else None)
        cohorts.append(Cohort(week=week, size=size, shares=shares))
    return cohorts


# --- churn risk


_CHURN_SQL = f"""
WITH lookback AS (
  SELECT md.member_id, count(DISTINCT (%(end)s::date - md.day) / 7) AS weeks, max(md.day) AS last_day
  FROM "{_MEMBER_DAY}" md
  WHERE md.community_id = %(community)s AND md.member_id <> 0 AND md.audience = ANY(%(audiences)s) {{segment}}
    AND md.day BETWEEN %(end)s::date - {7 * (CHURN_SILENT_WEEKS + CHURN_LOOKBACK_WEEKS) - 1}
                   AND %(end)s::date - {7 * CHURN_SILENT_WEEKS}
    AND NOT EXISTS (SELECT 1 FROM "{_MEMBER_DAY}" r WHERE r.community_id = md.community_id
                    AND r.member_id = md.member_id AND r.day BETWEEN %(end)s::date - {7 * CHURN_SILENT_WEEKS - 1}
                    AND %(end)s)
  GROUP BY md.member_id HAVING count(DISTINCT (%(end)s::date - md.day) / 7) >= {CHURN_ACTIVE_WEEKS}
)
SELECT l.member_id, m.display_name, l.weeks, l.last_day, count(*) OVER ()
FROM lookback l LEFT JOIN "{_MEMBER}" m ON m.community_id = %(community)s AND m.id = l.member_id
ORDER BY l.weeks DESC, l.last_day DESC, l.member_id LIMIT {LIST_SIZE}
"""  # noqa: S608


def churn_risk(*, community: Community, period: Period) -> dict:
    """{"count": members at risk, "members": the first LIST_SIZE (most weeks active, then latest seen)}."""
    rows = _rows(_CHURN_SQL.format(segment=period.segment("md")), _params(community, period))
    members = [
        {"member_id": m, "name": name or "(erased)", "weeks_active": w, "last_day": last}
        for m, name, w, last, _ in rows
    ]
    return {"count": rows[0][4] if rows else 0, "members": members}


# --- contributors, rising members and period-over-period retention, in one pass over two periods


_PEOPLE_SQL = f"""
WITH per_member AS (
  SELECT member_id, coalesce(sum(activities) FILTER (WHERE day >= %(start)s), 0) AS now,
         coalesce(sum(activities) FILTER (WHERE day < %(start)s), 0) AS before
  FROM "{_MEMBER_DAY}"
  WHERE community_id = %(community)s AND member_id <> 0 AND audience = ANY(%(audiences)s) {{channel}}
    AND day BETWEEN %(previous)s AND %(end)s
  GROUP BY member_id
), ranked AS (
  SELECT member_id, now, before,
         row_number() OVER (ORDER BY now DESC, member_id) AS top_rank,
         row_number() OVER (ORDER BY now - before DESC, now DESC, member_id) AS rise_rank,
         count(*) FILTER (WHERE before > 0) OVER () AS active_before,
         count(*) FILTER (WHERE before > 0 AND now > 0) OVER () AS returned
  FROM per_member
)
SELECT r.member_id, m.display_name, r.now, r.before, r.top_rank, r.rise_rank, r.active_before, r.returned
FROM ranked r LEFT JOIN "{_MEMBER}" m ON m.community_id = %(community)s AND m.id = r.member_id
WHERE (r.top_rank <= {LIST_SIZE} AND r.now > 0) OR (r.rise_rank <= {LIST_SIZE} AND r.now > r.before)
   OR r.top_rank = 1
"""  # noqa: S608


def people_read(*, community: Community, period: Period) -> dict:
    """Top contributors, rising members, and how many of the previous period's active members came back."""
    channel = ("AND channel = %(channel)s " if period.channel else "") + period.segment()
    rows = _rows(_PEOPLE_SQL.format(channel=channel), _params(community, period, previous=period.previous.start))
    top, rising = [], []
    for member_id, name, now, before, top_rank, rise_rank, _, _ in rows:
        person = {"member_id": member_id, "name": name or "(erased)", "activities": now, "previous": before}
        if top_rank <= LIST_SIZE and now > 0:
            top.append((top_rank, person))
        if rise_rank <= LIST_SIZE and now > before:
            rising.append((rise_rank, {**person, "change": now - before}))
    active_before, returned = (rows[0][6], rows[0][7]) if rows else (0, 0)
    return {
        "top_contributors": [p for _, p in sorted(top, key=lambda pair: pair[0])],
        "rising_members": [p for _, p in sorted(rising, key=lambda pair: pair[0])],
        "active_before": active_before,
        "returned": returned,
    }


# --- threads and tags of the period


_THREADS_SQL = f"""
WITH rows AS (
  SELECT a.source, coalesce(nullif(a.parent_external_id, ''), a.external_id) AS thread, a.member_id, a.sentiment
  FROM "{_ACTIVITY}" a
  WHERE a.community_id = %(community)s {{channel}}
    AND a.occurred_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s)
    AND a.occurred_at < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
), who AS (
  SELECT m.id, {AUDIENCE_SQL} AS audience FROM "{_MEMBER}" m
  WHERE m.community_id = %(community)s AND m.id IN (SELECT DISTINCT member_id FROM rows)
), threads AS (
  SELECT r.source, r.thread, count(*) AS n, count(DISTINCT r.member_id) AS people, avg(r.sentiment) AS mean,
         count(r.sentiment) AS scored
  FROM rows r LEFT JOIN who ON who.id = r.member_id
  WHERE coalesce(who.audience, 'member') = ANY(%(audiences)s)
  GROUP BY r.source, r.thread
)
SELECT t.source, t.thread, t.n, t.people, s.title, s.url, s.extra -> 'tags', t.mean, t.scored
FROM threads t LEFT JOIN "{_ACTIVITY}" s ON s.community_id = %(community)s AND s.source = t.source
  AND s.external_id = t.thread
ORDER BY t.n DESC, t.people DESC, t.source, t.thread
"""  # noqa: S608
THREADS_READ_LIMIT = 500  # threads whose tags are counted; the long tail of one-message threads is left out


def threads_read(*, community: Community, period: Period) -> dict:
    """The period's busiest threads and the tags of the threads active in it."""
    channel = ("AND a.channel = %(channel)s " if period.channel else "") + period.segment("a")
    sql = _THREADS_SQL.format(channel=channel) + f" LIMIT {THREADS_READ_LIMIT}"
    rows = _rows(sql, _params(community, period))
    topics, tags, negative = [], {}, []
    for source, thread, n, people, title, url, thread_tags, mean, scored in rows:
        topic = {
            "source": source, "thread": thread, "activities": n, "people": people, "title": title or thread,
            "url": url or "", "sentiment_mean": round(mean, 4) if mean is not None else None, "scored": scored,
        }  # fmt: skip
        if len(topics) < LIST_SIZE:
            topics.append(topic)
        if mean is not None and mean < 0:
            negative.append(topic)
        if isinstance(thread_tags, str):  # Django's psycopg setup hands jsonb over undecoded
            thread_tags = json.loads(thread_tags)
        for tag in thread_tags if isinstance(thread_tags, list) else []:
            tags[str(tag)] = tags.get(str(tag), 0) + n
    top_tags = sorted(tags.items(), key=lambda pair: (-pair[1], pair[0]))[:LIST_SIZE]
    negative.sort(key=lambda t: (t["sentiment_mean"], -t["activities"], t["source"], t["thread"]))
    return {
        "top_topics": topics,
        "top_tags": [{"tag": t, "activities": n} for t, n in top_tags],
        "negative_topics": negative[:LIST_SIZE],
    }


# --- channels


_CHANNELS_SQL = f"""
SELECT channel, sum(activities), count(DISTINCT nullif(member_id, 0)) FROM "{_MEMBER_DAY}"
WHERE community_id = %(community)s AND audience = ANY(%(audiences)s) AND day BETWEEN %(start)s AND %(end)s {{segment}}
GROUP BY channel ORDER BY 2 DESC, 1
"""  # noqa: S608


def channel_breakdown(*, community: Community, period: Period) -> list[dict]:
    """Every channel with activities in the period (the channel filter is not applied: this is the comparison)."""
    rows = _rows(_CHANNELS_SQL.format(segment=period.segment()), _params(community, period))
    return [{"channel": c, "activities": int(n), "active_members": m} for c, n, m in rows]


# --- the health score


def _clip(value: float, low: float = 0.0, high: float = 20.0) -> float:
    return max(low, min(high, value))


def health_score(
    *,
    active: int,
    active_before: int,
    stickiness: float,
    response_rate: float | None,
    response_time: float | None,
    returned: int,
    sentiment_mean: float | None,
) -> dict:
    """The score and each part's points, from figures the dashboard already read (no query of its own)."""
    if active_before:
        growth = _clip(10 + 10 * ((active - active_before) / active_before) / 0.5)
    else:
        growth = 20.0 if active else 10.0
    activity = _clip(HEALTH_WEIGHT * (stickiness or 0) / 0.2)
    if response_rate is None:
        responsiveness = 0.0
    else:
        speed = max(0.0, 1 - (response_time / (48 * 3600))) if response_time is not None else 0.0
        responsiveness = 10 * response_rate + 10 * speed
    retention = HEALTH_WEIGHT * returned / active_before if active_before else 0.0
    sentiment = HEALTH_WEIGHT * ((sentiment_mean if sentiment_mean is not None else 0.0) + 1) / 2
    points = {
        "growth": growth, "activity": activity, "responsiveness": responsiveness, "retention": retention,
        "sentiment": sentiment,
    }  # fmt: skip
    parts = [{"name": name, "points": round(value, 1), "rule": HEALTH_PARTS[name]} for name, value in points.items()]
    return {"score": round(sum(points.values())), "parts": parts}


# --- the whole dashboard

KPIS = ("activities", "active_members", "new_members", "response_rate", "response_time", "sentiment_mean", "stickiness")
CHART_METRICS = ("activities", "active_members", "new_members", "response_time", "response_rate", "sentiment_mean",
                 "negative_share")  # fmt: skip


def chart_interval(period: Period) -> str:
    return "day" if period.days <= 62 else ("week" if period.days <= 366 else "month")


def _change(name: str, now, before) -> dict:
    """A KPI's change: relative for counts and times, in points for shares and means; None when not comparable."""
    if now is None or before is None:
        return {"value": None, "unit": ""}
    if name in ("activities", "active_members", "new_members", "response_time"):
        return {"value": round((now - before) / before * 100, 1) if before else None, "unit": "%"}
    scale = 100 if name in ("response_rate", "stickiness") else 1
    return {"value": round((now - before) * scale, 2 if scale == 1 else 1), "unit": "pt" if scale == 100 else ""}


def dashboard_read(*, community: Community, period: Period) -> dict:
    """Everything the dashboard shows, read in a fixed number of statements (the page's query count test)."""
    interval = chart_interval(period)
    series = {name: metric_read(community=community, query=period.query(name, interval)) for name in CHART_METRICS}
    series["stickiness"] = metric_read(community=community, query=period.query("stickiness", interval))
    previous = {
        name: metric_read(community=community, query=period.previous.query(name, "month"))["total"] for name in KPIS
    }
    kpis = [
        {"name": name, "value": series[name]["total"], "previous": previous[name],
         "change": _change(name, series[name]["total"], previous[name]), "definition": series[name]["definition"]}
        for name in KPIS
    ]  # fmt: skip
    people = people_read(community=community, period=period)
    health = health_score(
        active=series["active_members"]["total"] or 0, active_before=people["active_before"],
        stickiness=series["stickiness"]["total"] or 0.0, response_rate=series["response_rate"]["total"],
        response_time=series["response_time"]["total"], returned=people["returned"],
        sentiment_mean=series["sentiment_mean"]["total"],
    )  # fmt: skip
    return {
        "period": period,
        "interval": interval,
        "timezone": community_timezone(community),
        "kpis": kpis,
        "series": series,
        "cohorts": retention_cohorts(community=community, period=period),
        "churn": churn_risk(community=community, period=period),
        "channels": channel_breakdown(community=community, period=period),
        "health": health,
        **people,
        **threads_read(community=community, period=period),
    }


# --- share links


def share_list(*, community: Community):
    from insights.models import DashboardShare

    return DashboardShare.objects.for_community(community).order_by("-created_at", "-id")[:50]


def access_share(*, community: Community, share_id: int):
    """404 alike for a share that does not exist and one of another community."""
    from django.http import Http404

    from insights.models import DashboardShare

    share = DashboardShare.objects.for_community(community).filter(pk=share_id).first()
    if share is None:
        raise Http404("No such shared link.")
    return share
