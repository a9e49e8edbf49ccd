"""Conversations and their first responses, kept in SQL for response_time and response_rate.

A post, issue or message with no parent, by a member who is not staff, starts one. Its first responses (one among
staff, one among everyone else) are recomputed from the activities whenever a starter or a reply arrives, so late
and duplicate arrivals end where a rebuild does.
"""

from datetime import date

from django.db import connection

from community.models import Activity, Community, Member
from insights.models import Conversation

from .rollups import AUDIENCE_SQL, community_timezone

STARTER_KINDS = ("post", "issue", "message")

_ACTIVITY = Activity._meta.db_table
_MEMBER = Member._meta.db_table
_CONVERSATION = Conversation._meta.db_table

_STARTERS_SQL = f"""
INSERT INTO "{_CONVERSATION}" (community_id, activity_id, member_id, audience, source, external_id, channel, day,
                               started_at)
SELECT %(community)s, a.id, a.member_id, {AUDIENCE_SQL}, a.source, a.external_id, a.channel,
       (a.occurred_at AT TIME ZONE %(tz)s)::date, a.occurred_at
FROM "{_ACTIVITY}" a JOIN "{_MEMBER}" m ON m.community_id = a.community_id AND m.id = a.member_id
WHERE a.community_id = %(community)s AND a.kind IN {STARTER_KINDS!r} AND a.parent_external_id = '' AND {{where}}
  AND ({AUDIENCE_SQL}) <> 'staff'
ON CONFLICT (community_id, activity_id) DO NOTHING
"""  # noqa: S608

# The responses of one audience to conversation `c`, through index activity_parent.
_FIRST_RESPONSE = f"""(
  SELECT min(a.occurred_at) FROM "{_ACTIVITY}" a JOIN "{_MEMBER}" m ON m.community_id = a.community_id
    AND m.id = a.member_id
  WHERE a.community_id = c.community_id AND a.source = c.source AND a.parent_external_id = c.external_id
    AND a.occurred_at > c.started_at AND a.member_id <> c.member_id AND ({AUDIENCE_SQL}) = %s)"""  # noqa: S608

_RESPONSES_SQL = f"""
UPDATE "{_CONVERSATION}" c
SET first_staff_response_at = {_FIRST_RESPONSE.replace("%s", "'staff'")},
    first_community_response_at = {_FIRST_RESPONSE.replace("%s", "'member'")}
WHERE c.community_id = %(community)s AND {{where}}
"""  # noqa: S608


def conversations_update(*, community: Community, activity_ids: list[int]) -> None:
    """New starters become conversations; the conversations these activities start or answer are re-read."""
    if not activity_ids:
        return
    params = {"community": community.pk, "ids": list(activity_ids), "tz": community_timezone(community)}
    with connection.cursor() as cursor:
        cursor.execute(_STARTERS_SQL.format(where="a.id = ANY(%(ids)s::bigint[])"), params)
        cursor.execute(
            _RESPONSES_SQL.format(
                where=f"""(c.activity_id = ANY(%(ids)s::bigint[]) OR (c.source, c.external_id) IN (
                    SELECT r.source, r.parent_external_id FROM "{_ACTIVITY}" r
                    WHERE r.community_id = %(community)s AND r.id = ANY(%(ids)s::bigint[])
                      AND r.parent_external_id <> ''))"""  # noqa: S608
            ),
            params,
        )


def conversations_rebuild(*, community: Community, start: date, end: date) -> None:
    """The conversations started on the local days start..end, from the activities, with their responses."""
    tz = community_timezone(community)
    params = {"community": community.pk, "tz": tz, "start": start, "end": end}
    within = (
        "a.occurred_at >= (%(start)s::timestamp AT TIME ZONE %(tz)s) "
        "AND a.occurred_at < ((%(end)s::date + 1)::timestamp AT TIME ZONE %(tz)s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{_CONVERSATION}" WHERE community_id = %(community)s '  # noqa: S608
            "AND day BETWEEN %(start)s AND %(end)s",
            params,
        )
        cursor.execute(_STARTERS_SQL.format(where=within), params)
        cursor.execute(_RESPONSES_SQL.format(where="c.day BETWEEN %(start)s AND %(end)s"), params)
