"""Handing the screen's verdicts to people: held and flagged activities become queue items, held forum posts are
hidden until reviewed. Set-based, like the screen itself: one INSERT of the items, one of their log entries, and
at most two UPDATEs hiding forum posts, whatever the size of the batch.

A forum post is reviewed as itself (its topic or reply, which the queue can hide, show and remove); anything from
another channel as its activity. A subject that already has an open item (a member flagged it first) keeps it.
"""

import json
from dataclasses import dataclass

from django.db import connection

from community.models import Community
from discussions.services.visibility import posts_hide

from ..models import LogEntry, SubjectKind
from .queue import score_priority
from .subjects import EXCERPT

FORUM_SOURCE = "forum"  # discussions.services.stream.SOURCE: how a forum post's activity names itself

INSERT_SQL = """
INSERT INTO "moderation_queueitem" (community_id, subject_kind, subject_id, status, source, reasons, spam, toxicity,
                                    flag_count, priority, author_id, title, excerpt, url, content_hidden, created_at)
SELECT %s, u.kind, u.sid, 'open', u.origin, ARRAY(SELECT jsonb_array_elements_text(u.reasons::jsonb))::varchar(80)[],
       u.spam, u.toxicity, 0, u.priority, u.author, u.title, u.excerpt, u.url, u.hidden, now()
FROM unnest(%s::text[], %s::bigint[], %s::text[], %s::float8[], %s::float8[], %s::float8[], %s::bigint[],
            %s::text[], %s::text[], %s::text[], %s::bool[], %s::text[])
     AS u(kind, sid, reasons, spam, toxicity, priority, author, title, excerpt, url, hidden, origin)
ON CONFLICT DO NOTHING
RETURNING subject_kind, subject_id, author_id, reasons, spam, toxicity
"""


@dataclass(frozen=True)
class Screened:
    """One activity the screen held or flagged, as `activities_screen` read and judged it."""

    activity_id: int
    source: str
    external_id: str
    member_id: int | None
    title: str
    body: str
    url: str
    status: str  # "held" or "flagged"
    reasons: list[str]
    spam: float
    toxicity: float
    origin: str = "scorer"  # the queue item's source: "watched_word" when a watched word decided it


def _subject(row: Screened) -> tuple[str, int]:
    if row.source == FORUM_SOURCE:
        kind, _, pk = row.external_id.partition(":")
        if kind in (SubjectKind.TOPIC, SubjectKind.REPLY) and pk.isdigit():
            return kind, int(pk)
    return SubjectKind.ACTIVITY, row.activity_id


def screened_to_queue(*, community: Community, rows: list[Screened], label: str) -> int:
    """Open one item per held or flagged subject; the number opened (existing open items are left as they are)."""
    if not rows:
        return 0
    subjects = [_subject(row) for row in rows]
    held = [row.status == "held" for row in rows]
    columns = [
        [kind for kind, _ in subjects],
        [pk for _, pk in subjects],
        [_json_list(row.reasons) for row in rows],
        [row.spam for row in rows],
        [row.toxicity for row in rows],
        [score_priority(row.spam, row.toxicity) for row in rows],
        [row.member_id for row in rows],
        [(row.title or row.body)[:200] for row in rows],
        [row.body[:EXCERPT] for row in rows],
        [row.url[:500] for row in rows],
        held,
        [row.origin for row in rows],
    ]
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, [community.pk, *columns])
        opened = cursor.fetchall()
    entries = [
        LogEntry(
            community=community, actor_label=label, action="queue.open", subject_kind=kind, subject_id=pk,
            target_member_id=author, reason=", ".join(reasons),
            after={"spam": spam, "toxicity": toxicity, "reasons": list(reasons)},
        )
        for kind, pk, author, reasons, spam, toxicity in opened
    ]  # fmt: skip
    LogEntry.objects.bulk_create(entries)
    # Held posts disappear until a moderator approves them (approve shows them again: content_hidden is set).
    # Only where this call opened the item, so the item that hides a post is the one whose approval shows it.
    new = {(kind, pk) for kind, pk, *_ in opened}
    hide = {subject for subject, is_held in zip(subjects, held, strict=True) if is_held and subject in new}
    topic_ids = [pk for kind, pk in hide if kind == SubjectKind.TOPIC]
    reply_ids = [pk for kind, pk in hide if kind == SubjectKind.REPLY]
    if topic_ids or reply_ids:
        posts_hide(community=community, topic_ids=topic_ids, reply_ids=reply_ids)
    return len(opened)


def _json_list(values: list[str]) -> str:
    return json.dumps([str(v)[:80] for v in values])
