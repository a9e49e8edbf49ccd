"""The metrics: one definition each (shown by the API, the dashboard and docs/insights.md), read from the rollups.

Every read is one or two SQL statements over the rollups of the requested range, so its cost follows the range,
never the history. Days are the community's local days; weeks start on Monday; a point's date is the first day
of its interval (a range starting mid-week has its first point on that Monday, counting only days in range).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection

from community.errors import ServiceError
from community.models import Community
from insights.models import Conversation, DayStat, MemberDay, MemberFirstDay

from .services.rollups import community_timezone

INTERVALS = ("day", "week", "month")
MAX_DAYS = 3 * 366  # a range longer than this is refused: one request stays cheap

_DAY_STAT = DayStat._meta.db_table
_MEMBER_DAY = MemberDay._meta.db_table

AUDIENCE_NOTE = (
    " Staff (owner, admin, manager, moderator, or tagged team) and bots are left out unless include_staff=true "
    "or include_bots=true. segment=<id> keeps the members of a saved segment (as of now)."
)
DEFINITIONS = {
    "activities": "Activities that occurred on the day (the community's local day). Total: their sum.",
    "active_members": "Distinct members with at least one activity in the interval. Total: distinct members "
    "over the whole range.",
    "new_members": "Members whose first activity on any channel is on that day (with channel=: and who were "
    "active on that channel that day). Total: their sum.",
    "stickiness": "For each day d: active members on d ÷ distinct active members in [d-29, d] (0 when none). "
    "An interval's value and the total are the mean of the daily values.",
    "sentiment_mean": "Mean sentiment score (-1 … 1) of the interval's scored activities (null when none). "
    "Total: the mean over all scored activities of the range.",
    "negative_share": "Share of the interval's scored activities labelled negative (null when none). Total: "
    "the share over all scored activities of the range.",
    "response_time": "Median seconds to the first response of the conversations started in the interval that have "
    "one. A conversation: a post, issue or message with no parent, started by a non-staff member; its first "
    "response: the earliest later activity of another member (not a bot) in the same source whose parent is the "
    "starting activity. responder=staff|community counts only that kind of responder. Total: the median over "
    "all conversations started in the range.",
    "response_rate": "Share of the conversations started in the interval that have a response (null when none "
    "started); conversations and responders as for response_time. Total: the share over the range.",
}
DEFINITIONS = {name: text + AUDIENCE_NOTE for name, text in DEFINITIONS.items()}
RESPONDERS = ("", "staff", "community")
LABELS = {
    "activities": "Activities", "active_members": "Active members", "new_members": "New members",
    "response_rate": "Response rate", "response_time": "Median first response", "sentiment_mean": "Sentiment",
    "stickiness": "Stickiness", "negative_share": "Negative share",
}  # fmt: skip


def value_display(name: str, value) -> str:
    """A figure as the page and the email show it: hours and minutes, percentages, signed means."""
    if value is None:
        return "-"
    if name == "response_time":
        minutes = round(value / 60)
        return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"
    if name in ("response_rate", "stickiness", "negative_share"):
        return f"{value * 100:.0f} %"
    if name == "sentiment_mean":
        return f"{value:+.2f}"
    return f"{value:,}"


@dataclass(frozen=True)
class Query:
    name: str
    start: date
    end: date
    interval: str = "day"
    channel: str = ""
    include_staff: bool = False
    include_bots: bool = False
    responder: str = ""  # response metrics only: "" (anyone), "staff" or "community"
    # A saved segment's members (None: everyone). With a segment the figures come from member-days, which know
    # the member; the per-day aggregates do not.
    members: tuple[int, ...] | None = None

    @property
    def audiences(self) -> list[str]:
        return ["member"] + (["staff"] if self.include_staff else []) + (["bot"] if self.include_bots else [])


def _bucket(day: date, interval: str) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


def buckets(start: date, end: date, interval: str) -> list[date]:
    points, current = [], _bucket(start, interval)
    while current <= end:
        points.append(current)
        if interval == "day":
            current += timedelta(days=1)
        elif interval == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return points


def _bucket_sql(column: str, interval: str) -> str:
    return column if interval == "day" else f"date_trunc('{interval}', {column})::date"


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def metric_read(*, community: Community, query: Query) -> dict:
    """The API's answer for one metric: series (zeros included) and total, as documented in DEFINITIONS."""
    if query.name not in DEFINITIONS:
        raise ServiceError(f"No metric {query.name!r}.", code="not_found")
    if query.interval not in INTERVALS:
        raise ServiceError("interval: expected day, week or month.", field="interval")
    if query.responder not in RESPONDERS:
        raise ServiceError("responder: expected staff or community.", field="responder")
    if query.end < query.start:
        raise ServiceError("end is before start.", field="end")
    if (query.end - query.start).days >= MAX_DAYS:
        raise ServiceError(f"Ask for at most {MAX_DAYS} days at once.", field="end")
    params = {
        "community": community.pk, "start": query.start, "end": query.end, "channel": query.channel,
        "audiences": query.audiences, "members": list(query.members or ()),
    }  # fmt: skip
    series, total = _READERS[query.name](query, params)
    points = buckets(query.start, query.end, query.interval)
    return {
        "metric": query.name,
        "interval": query.interval,
        "start": query.start.isoformat(),
        "end": query.end.isoformat(),
        "timezone": community_timezone(community),
        "definition": DEFINITIONS[query.name],
        "series": [{"date": point.isoformat(), "value": series.get(point, series.get("default"))} for point in points],
        "total": total,
    }


_STATS_WHERE = (
    "community_id = %(community)s AND channel = %(channel)s AND audience = ANY(%(audiences)s) "
    "AND day BETWEEN %(start)s AND %(end)s"
)


def _member_days_where(query: Query) -> str:
    channel = "AND channel = %(channel)s" if query.channel else ""
    return (
        f"community_id = %(community)s AND audience = ANY(%(audiences)s) AND member_id = ANY(%(members)s) {channel} "
        "AND day BETWEEN %(start)s AND %(end)s"
    )


def _source(query: Query) -> tuple[str, str]:
    """Where pooled sums come from: the day aggregates, or the segment's member-days (the same column names)."""
    if query.members is None:
        return _DAY_STAT, _STATS_WHERE
    return _MEMBER_DAY, _member_days_where(query)


def _sum_of(column: str):
    def read(query: Query, params: dict):
        bucket = _bucket_sql("day", query.interval)
        table, where = _source(query)
        rows = _rows(
            f'SELECT {bucket}, sum({column}) FROM "{table}" WHERE {where} GROUP BY 1',  # noqa: S608
            params,
        )
        series = {day: int(value) for day, value in rows}
        return {**series, "default": 0}, sum(series.values())

    return read


def _ratio_of(numerator: str, denominator: str, digits: int = 6):
    """Pooled ratios (sentiment mean, negative share): sum over sum for each interval and for the range."""

    def read(query: Query, params: dict):
        bucket = _bucket_sql("day", query.interval)
        table, where = _source(query)
        rows = _rows(
            f'SELECT {bucket}, sum({numerator}), sum({denominator}) FROM "{table}" '  # noqa: S608
            f"WHERE {where} GROUP BY 1",
            params,
        )
        series = {day: round(num / den, digits) if den else None for day, num, den in rows}
        num, den = sum(r[1] for r in rows), sum(r[2] for r in rows)
        return {**series, "default": None}, (round(num / den, digits) if den else None)

    return read


def _active_members(query: Query, params: dict):
    channel = "" if not query.channel else "AND channel = %(channel)s"
    segment = "" if query.members is None else "AND member_id = ANY(%(members)s)"
    where = (
        f"community_id = %(community)s AND audience = ANY(%(audiences)s) AND member_id <> 0 {channel} {segment} "
        "AND day BETWEEN %(start)s AND %(end)s"
    )
    bucket = _bucket_sql("day", query.interval)
    # Distinct members per interval and over the range in one pass over the range's member-days.
    rows = _rows(
        f"SELECT CASE WHEN grouping({bucket}) = 1 THEN NULL ELSE {bucket} END, count(DISTINCT member_id) "  # noqa: S608
        f'FROM "{_MEMBER_DAY}" WHERE {where} GROUP BY GROUPING SETS (({bucket}), ())',
        params,
    )
    series = {day: count for day, count in rows if day is not None}
    total = next((count for day, count in rows if day is None), 0)
    return {**series, "default": 0}, total


_SEGMENT_STICKINESS_SQL = f"""
SELECT d.day, count(DISTINCT md.member_id) FILTER (WHERE md.day = d.day), count(DISTINCT md.member_id)
FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') AS d(day)
JOIN "{_MEMBER_DAY}" md ON md.community_id = %(community)s AND md.audience = ANY(%(audiences)s)
  AND md.member_id = ANY(%(members)s) {{channel}} AND md.day BETWEEN d.day::date - 29 AND d.day::date
GROUP BY d.day
"""  # noqa: S608


def _stickiness(query: Query, params: dict):
    if query.members is None:
        sql = (
            f'SELECT day, sum(active_members), sum(active_members_30d) FROM "{_DAY_STAT}" WHERE {_STATS_WHERE} '  # noqa: S608
            "GROUP BY day"
        )
    else:  # the segment's members, from member-days over the range and the 29 days before it
        sql = _SEGMENT_STICKINESS_SQL.format(channel="AND md.channel = %(channel)s" if query.channel else "")
    rows = [(day.date() if hasattr(day, "date") else day, active, window) for day, active, window in _rows(sql, params)]
    daily = {day: (active / window if window else 0.0) for day, active, window in rows}
    # Every day of the range counts, those without a row as 0 (nobody active in their window).
    days = [query.start + timedelta(n) for n in range((query.end - query.start).days + 1)]
    grouped: dict[date, list[float]] = {}
    for day in days:
        grouped.setdefault(_bucket(day, query.interval), []).append(daily.get(day, 0.0))
    series = {point: round(sum(values) / len(values), 6) for point, values in grouped.items()}
    return series, round(sum(daily.get(day, 0.0) for day in days) / len(days), 6)


_CONVERSATION = Conversation._meta.db_table
_RESPONSE_AT = {
    "": "least(first_staff_response_at, first_community_response_at)",  # least() skips nulls
    "staff": "first_staff_response_at",
    "community": "first_community_response_at",
}


def _conversations(query: Query, params: dict) -> dict:
    """{interval start or None (the whole range): (median seconds or None, responded, started)} in one pass."""
    channel = "AND channel = %(channel)s" if query.channel else ""
    if query.members is not None:
        channel += " AND member_id = ANY(%(members)s)"
    bucket = _bucket_sql("day", query.interval)
    seconds = f"extract(epoch FROM {_RESPONSE_AT[query.responder]} - started_at)"
    rows = _rows(
        f"SELECT CASE WHEN grouping({bucket}) = 1 THEN NULL ELSE {bucket} END, "  # noqa: S608
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {seconds}), count({seconds}), count(*) "
        f'FROM "{_CONVERSATION}" WHERE community_id = %(community)s AND audience = ANY(%(audiences)s) {channel} '
        f"AND day BETWEEN %(start)s AND %(end)s GROUP BY GROUPING SETS (({bucket}), ())",
        params,
    )
    return {day: (median, responded, started) for day, median, responded, started in rows}


def _response_time(query: Query, params: dict):
    groups = _conversations(query, params)
    median = {day: (round(float(m), 3) if m is not None else None) for day, (m, _, _) in groups.items()}
    return {**{d: v for d, v in median.items() if d is not None}, "default": None}, median.get(None)


def _response_rate(query: Query, params: dict):
    groups = _conversations(query, params)
    # The range's row (grouping set ()) exists even when nothing started: no conversations is null, not 0/0.
    share = {
        day: (round(responded / started, 6) if started else None) for day, (_, responded, started) in groups.items()
    }
    return {**{d: v for d, v in share.items() if d is not None}, "default": None}, share.get(None)


_FIRST_DAY = MemberFirstDay._meta.db_table


def _new_members(query: Query, params: dict):
    if query.members is None:
        return _sum_of("new_members")(query, params)
    channel = "AND md.channel = %(channel)s" if query.channel else ""
    bucket = _bucket_sql("f.first_day", query.interval)
    rows = _rows(
        f'SELECT {bucket}, count(*) FROM "{_FIRST_DAY}" f WHERE f.community_id = %(community)s '  # noqa: S608
        "AND f.member_id = ANY(%(members)s) AND f.first_day BETWEEN %(start)s AND %(end)s "
        f'AND EXISTS (SELECT 1 FROM "{_MEMBER_DAY}" md WHERE md.community_id = f.community_id '
        f"AND md.member_id = f.member_id AND md.day = f.first_day AND md.audience = ANY(%(audiences)s) {channel}) "
        "GROUP BY 1",
        params,
    )
    series = {day: int(value) for day, value in rows}
    return {**series, "default": 0}, sum(series.values())


_READERS = {
    "activities": _sum_of("activities"),
    "active_members": _active_members,
    "new_members": _new_members,
    "stickiness": _stickiness,
    "sentiment_mean": _ratio_of("sentiment_sum", "sentiment_count"),
    "negative_share": _ratio_of("negative_count", "sentiment_count"),
    "response_time": _response_time,
    "response_rate": _response_rate,
}


def metric_list() -> list[dict]:
    return [{"name": name, "definition": text} for name, text in DEFINITIONS.items()]


def segment_members(*, community: Community, segment: str | int | None) -> tuple[int, ...] | None:
    """The members of a saved segment (the member directory's filters), for the `segment` filter; None for none.

    One query; its cost follows the community's members, never its activity history."""
    from community.models import Segment
    from community.selectors.members import member_directory

    if segment in (None, ""):
        return None
    try:
        segment_id = int(segment)
    except (TypeError, ValueError):
        raise ServiceError("segment: expected a segment id.", field="segment") from None
    if not Segment.objects.for_community(community).filter(pk=segment_id).exists():
        raise ServiceError(f"segment: no segment {segment_id} in this community.", field="segment")
    return tuple(member_directory(community=community, segment_id=segment_id).order_by().values_list("pk", flat=True))
