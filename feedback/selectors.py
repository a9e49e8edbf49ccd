"""Reads of the feedback app. Checked fetches (`access_*`) raise 404 alike for missing and forbidden."""

import re
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from community.models import Activity, Community
from community.policy import Actor
from community.selectors.members import member_directory
from discussions.models.topic import SEARCH_CONFIG

from .models import Board, ChangelogEntry, Evidence, Idea, IdeaStatus, Vote
from .permissions import readable_boards_q

TREND_DAYS = 30
SIMILAR_LIMIT = 5
_WORD = re.compile(r"[a-z0-9]{3,}")


def board_list(*, community: Community, actor: Actor) -> QuerySet[Board]:
    q = readable_boards_q(actor)
    if q is None:
        return Board.objects.none()
    live = (
        Idea.objects.filter(community_id=community.pk, board=OuterRef("pk"), merged_into__isnull=True)
        .filter(topic__deleted_at__isnull=True)
        .order_by()
        .values("board")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        Board.objects.for_community(community)
        .filter(q)
        .annotate(idea_count=Coalesce(Subquery(live, output_field=IntegerField()), 0))
        .order_by("position", "id")
    )


def access_board(*, community: Community, actor: Actor, slug: str | None = None, board_id: int | None = None) -> Board:
    q = readable_boards_q(actor)
    qs = Board.objects.for_community(community).select_related("space")
    board = None
    if q is not None:
        qs = qs.filter(q)
        board = qs.filter(slug=slug).first() if slug is not None else qs.filter(pk=board_id).first()
    if board is None:
        raise Http404("No such board.")
    return board


def status_list(*, community: Community) -> list[IdeaStatus]:
    return list(IdeaStatus.objects.for_community(community).order_by("position", "id"))


def idea_queryset(*, community: Community, actor: Actor) -> QuerySet[Idea]:
    """Live ideas (not merged away, topic not deleted) of boards the actor reads, with what a row shows joined."""
    q = readable_boards_q(actor, through="board__")
    if q is None:
        return Idea.objects.none()
    qs = (
        Idea.objects.for_community(community)
        .filter(q, merged_into__isnull=True, topic__deleted_at__isnull=True)
        .select_related("topic__author", "status", "board")
        .defer("topic__body", "topic__body_html", "topic__search_vector")
    )
    if actor.is_member:
        mine = Vote.objects.filter(community_id=community.pk, idea=OuterRef("pk"), member=actor.member)
        qs = qs.annotate(voted=Exists(mine))
    return qs


def idea_list(
    *,
    community: Community,
    actor: Actor,
    board: Board | None = None,
    status: str = "",
    tag: str = "",
    q: str = "",
    include_closed: bool = True,
) -> QuerySet[Idea]:
    qs = idea_queryset(community=community, actor=actor)
    if board is not None:
        qs = qs.filter(board=board)
    if status:
        qs = qs.filter(status__key=status)
    elif not include_closed:
        qs = qs.filter(status__is_closed=False)
    if tag:
        qs = qs.filter(topic__tags__contains=[tag])
    if q:
        query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
        qs = qs.filter(topic__search_vector=query)
    return qs.order_by("-vote_count", "-id")


def access_idea(*, community: Community, actor: Actor, idea_id: int, live: bool = False) -> Idea:
    """An idea of a board the actor reads; a merged one too (its page redirects) unless `live`."""
    q = readable_boards_q(actor, through="board__")
    idea = None
    if q is not None:
        qs = (
            Idea.objects.for_community(community)
            .filter(q, pk=idea_id, topic__deleted_at__isnull=True)
            .select_related("topic__author", "topic__space", "status", "board", "responded_by")
        )
        if live:
            qs = qs.filter(merged_into__isnull=True)
        idea = qs.first()
    if idea is None:
        raise Http404("No such idea.")
    return idea


def similar_ideas(*, community: Community, actor: Actor, board: Board, text: str, limit: int = SIMILAR_LIMIT) -> list:
    """Live ideas of the board sharing words with `text`, best first (full text on the topics' stored tsvector).

    Any shared word matches (an OR of the words), ranked by how well: a duplicate rarely repeats every word.
    Words are reduced to [a-z0-9] before they reach to_tsquery, so no input is a tsquery syntax error.
    """
    words = list(dict.fromkeys(_WORD.findall((text or "").lower())))[:12]
    if not words:
        return []
    query = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
    return list(
        idea_queryset(community=community, actor=actor)
        .filter(board=board, topic__search_vector=query)
        .annotate(rank=SearchRank(F("topic__search_vector"), query))
        .order_by("-rank", "-vote_count")[:limit]
    )


def roadmap(*, community: Community, actor: Actor, limit_per_column: int = 50) -> list[tuple[IdeaStatus, list]]:
    """The roadmap's columns (statuses marked for it) with their ideas by votes: two queries, whatever the count."""
    statuses = [s for s in status_list(community=community) if s.on_roadmap]
    ideas = list(
        idea_queryset(community=community, actor=actor)
        .filter(status__in=statuses)
        .order_by("status__position", "-vote_count", "-id")[: limit_per_column * max(len(statuses), 1)]
    )
    columns = {s.pk: [] for s in statuses}
    for idea in ideas:
        if len(columns[idea.status_id]) < limit_per_column:
            columns[idea.status_id].append(idea)
    return [(s, columns[s.pk]) for s in statuses]


def changelog_list(*, community: Community, actor: Actor) -> QuerySet[ChangelogEntry]:
    """Entries; one naming an idea of a board the actor cannot read is shown without the link."""
    return ChangelogEntry.objects.for_community(community).select_related("author").order_by("-published_at", "-id")


def evidence_list(*, community: Community, idea: Idea) -> QuerySet[Evidence]:
    return (
        Evidence.objects.for_community(community)
        .filter(idea=idea)
        .select_related("activity__member", "added_by")
        .defer("activity__search_vector", "activity__body")
        .order_by("-activity__occurred_at", "-id")
    )


# People who asked for an idea, counted once across channels: its author, its voters and the members of its
# evidence (a Slack message and a forum post by one person are one member). Correlated on the outer idea row.
_ASKERS_SQL = """
    SELECT t.author_id AS member_id FROM discussions_topic t
     WHERE t.community_id = %s AND t.id = feedback_idea.topic_id
    UNION SELECT v.member_id FROM feedback_vote v WHERE v.community_id = %s AND v.idea_id = feedback_idea.id
    UNION SELECT a.member_id FROM feedback_evidence e
      JOIN community_activity a ON a.community_id = e.community_id AND a.id = e.activity_id
     WHERE e.community_id = %s AND e.idea_id = feedback_idea.id
"""
# Constant SQL (no input is formatted in; the community id is a parameter).
_UNIQUE_MEMBERS_SQL = f"(SELECT COUNT(DISTINCT u.member_id) FROM ({_ASKERS_SQL}) u)"  # noqa: S608
_UNIQUE_ORGANIZATIONS_SQL = (
    f"(SELECT COUNT(DISTINCT m.organization_id) FROM ({_ASKERS_SQL}) u "  # noqa: S608
    "JOIN community_member m ON m.community_id = %s AND m.id = u.member_id)"
)


def with_reach(qs: QuerySet[Idea], community: Community) -> QuerySet[Idea]:
    """Annotate unique_members, unique_organizations and votes in the last 30 days (subqueries: one query)."""
    cid = community.pk
    since = timezone.now() - timedelta(days=TREND_DAYS)
    recent = (
        Vote.objects.filter(community_id=cid, idea=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("idea")
        .annotate(n=Count("*"))
        .values("n")
    )
    critical = (
        Vote.objects.filter(community_id=cid, idea=OuterRef("pk"), importance__in=["important", "critical"])
        .order_by()
        .values("idea")
        .annotate(n=Count("*"))
        .values("n")
    )
    return qs.annotate(
        unique_members=RawSQL(_UNIQUE_MEMBERS_SQL, [cid, cid, cid], output_field=IntegerField()),  # noqa: S611
        unique_organizations=RawSQL(  # noqa: S611
            _UNIQUE_ORGANIZATIONS_SQL, [cid, cid, cid, cid], output_field=IntegerField()
        ),
        votes_30d=Coalesce(Subquery(recent, output_field=IntegerField()), 0),
        weighty_votes=Coalesce(Subquery(critical, output_field=IntegerField()), 0),
    )


def prioritisation(
    *, community: Community, actor: Actor, board: Board | None = None, status: str = "", tag: str = "",
    sort: str = "votes", segment_id: int | None = None,
) -> QuerySet[Idea]:  # fmt: skip
    """Ideas with their reach; with a segment (the members directory's saved filters), only ideas some member of it
    asked for (authored or voted), with `segment_votes` counting that segment's votes."""
    qs = with_reach(idea_list(community=community, actor=actor, board=board, status=status, tag=tag), community)
    if segment_id is not None:
        members = member_directory(community=community, segment_id=segment_id).order_by().values("pk")
        in_segment = Vote.objects.filter(community_id=community.pk, idea=OuterRef("pk"), member_id__in=members)
        counted = in_segment.order_by().values("idea").annotate(n=Count("*")).values("n")
        qs = qs.filter(Q(Exists(in_segment)) | Q(topic__author_id__in=members)).annotate(
            segment_votes=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
        )
    order = {"votes": ("-vote_count", "-id"), "members": ("-unique_members", "-id"), "trend": ("-votes_30d", "-id")}
    return qs.order_by(*order.get(sort, order["votes"]))


def idea_reach(*, community: Community, idea: Idea) -> dict:
    """Unique members and organizations, recent votes, and the mean sentiment of the idea's evidence and comments
    (the comments' activities, scored by insights: the forum records replies with parent `topic:<id>`)."""
    row = with_reach(Idea.objects.for_community(community).filter(pk=idea.pk), community).values(
        "unique_members", "unique_organizations", "votes_30d", "weighty_votes"
    )[0]
    row["sentiment"] = (
        Evidence.objects.for_community(community)
        .filter(idea=idea, activity__sentiment__isnull=False)
        .aggregate(s=Avg("activity__sentiment"))["s"]
    )
    row["comment_sentiment"] = (
        Activity.objects.for_community(community)
        .filter(source="forum", parent_external_id=f"topic:{idea.topic_id}", sentiment__isnull=False)
        .aggregate(s=Avg("sentiment"))["s"]
    )
    return row
