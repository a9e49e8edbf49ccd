"""Scoring new activities: read their text in one query, analyse the batch at once, write back in one UPDATE."""

from django.db import connection

from community.models import Activity, Community
from insights.sentiment.analyser import analyse

TITLE_CHARS = 500


def activities_score(*, community: Community, activity_ids: list[int]) -> int:
    """Score the listed activities that nobody scored yet (a source's own score is kept); returns rows written.

    Idempotent: only rows without an analyser are read and written, so a re-delivered task changes nothing.
    Activities without text, or in a language the analyser does not read, get their language and a null score.
    """
    if not activity_ids:
        return 0
    rows = list(
        Activity.objects.for_community(community)
        .filter(pk__in=activity_ids, sentiment_analyser="", language="")
        .values_list("pk", "title", "body")
    )
    if not rows:
        return 0
    results = analyse(
        [f"{title[:TITLE_CHARS]}\n{body}" if title and body else title or body for _, title, body in rows]
    )
    table = Activity._meta.db_table
    # One statement for the batch; the (community_id, id) condition keeps it on the primary key under RLS, and the
    # `language = ''` condition keeps a concurrent run of the same task from writing twice.
    sql = (
        f'UPDATE "{table}" AS a SET sentiment = u.score, sentiment_label = u.label, '  # noqa: S608
        "sentiment_analyser = u.analyser, language = u.language "
        "FROM unnest(%s::bigint[], %s::float8[], %s::text[], %s::text[], %s::text[]) AS u(id, score, label, analyser, "
        "language) WHERE a.community_id = %s AND a.id = u.id AND a.sentiment_analyser = '' AND a.language = ''"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                [pk for pk, _, _ in rows],
                [r.score for r in results],
                [r.label for r in results],
                [r.analyser for r in results],
                [r.language for r in results],
                community.pk,
            ],
        )
        return cursor.rowcount
