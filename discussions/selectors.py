"""Reads of the forum. Checked fetches (`access_*`) raise 404 alike for missing and forbidden."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from community.models import Community, Member
from community.policy import Actor, can

from . import permissions
from .models import (
    Bookmark,
    Draft,
    Notification,
    PollVote,
    Reaction,
    Reply,
    Space,
    Subscription,
    Topic,
    TopicKind,
    TopicReadState,
    TopicStatus,
)
from .models.topic import SEARCH_CONFIG

REPLIES_PER_PAGE = 20
TOPICS_PER_PAGE = 30
PERIODS = {"day": timedelta(days=1), "week": timedelta(days=7), "month": timedelta(days=30), "all": None}


def space_list(*, community: Community, actor: Actor) -> QuerySet[Space]:
    # Counted per space from the partial index topic_live_per_space (an index-only scan of live topics), not a
    # join + GROUP BY that reads every topic row of the community on every list page.
    live = (
        Topic.objects.filter(community_id=community.pk, space=OuterRef("pk"), **_live_topic_filter())
        .order_by()
        .values("space")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        Space.objects.for_community(community)
        .filter(permissions.readable_spaces_q(actor))
        .annotate(topic_count=Coalesce(Subquery(live, output_field=IntegerField()), 0))
        .order_by("position", "id")
    )


def access_space(*, community: Community, actor: Actor, slug: str | None = None, space_id: int | None = None) -> Space:
    qs = Space.objects.for_community(community).filter(permissions.readable_spaces_q(actor))
    space = qs.filter(slug=slug).first() if slug is not None else qs.filter(pk=space_id).first()
    if space is None or not can(actor, "discussions.read"):
        raise Http404("No such space.")
    return space


def _live_topic_filter(prefix: str = "") -> dict:
    """Published, not deleted, not merged away: a topic readers see (prefix to filter through a relation)."""
    return {f"{prefix}status": TopicStatus.PUBLISHED, f"{prefix}deleted_at__isnull": True,
            f"{prefix}merged_into__isnull": True}  # fmt: skip


def topic_queryset(*, community: Community, actor: Actor) -> QuerySet[Topic]:
    """Published, live topics in spaces the actor may read, with space and author joined."""
    return (
        Topic.objects.for_community(community)
        .filter(**_live_topic_filter())
        .filter(permissions.readable_spaces_q(actor, through="space__"))
        .select_related("space", "author")
        .defer("body", "search_vector")
    )


def with_unread(qs: QuerySet[Topic], *, community: Community, actor: Actor) -> QuerySet[Topic]:
    """Annotate `seen` (None: never opened) and `unread` replies for a signed-in member, in the same query."""
    if not actor.is_member:
        return qs.annotate(seen=Value(None, output_field=IntegerField()), unread=Value(0))
    seen = TopicReadState.objects.filter(community_id=community.pk, member=actor.member, topic=OuterRef("pk"))
    newer = (
        Reply.objects.filter(community_id=community.pk, topic=OuterRef("pk"), position__gt=OuterRef("seen"))
        .values("topic")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(seen=Subquery(seen.values("seen_position")[:1])).annotate(
        unread=Coalesce(Subquery(newer, output_field=IntegerField()), 0)
    )


def topic_list(
    *,
    community: Community,
    actor: Actor,
    view: str = "latest",
    period: str = "all",
    space: Space | None = None,
    tag: str = "",
    kind: str = "",
    author_id: int | None = None,
    solved: bool | None = None,
) -> QuerySet[Topic]:
    qs = topic_queryset(community=community, actor=actor)
    if space is not None:
        qs = qs.filter(space=space)
    if tag:
        qs = qs.filter(tags__contains=[tag])
    if kind:
        qs = qs.filter(kind=kind)
    if author_id:
        qs = qs.filter(author_id=author_id)
    if solved is not None:
        qs = qs.filter(accepted_reply__isnull=not solved)
    if view == "unanswered":
        qs = qs.filter(kind=TopicKind.QUESTION, accepted_reply__isnull=True).order_by("reply_count", "-created_at")
    elif view == "top":
        since = PERIODS.get(period)
        if since is not None:
            qs = qs.filter(created_at__gte=timezone.now() - since)
        qs = qs.annotate(reaction_count=Count("reactions")).order_by("-reply_count", "-reaction_count", "-id")
    else:
        # Global pins lead everywhere; space pins lead in their space. Generated columns + index: no sort.
        pinned = "-pinned_everywhere" if space is None else "-pinned_in_space"
        qs = qs.order_by(pinned, "-last_posted_at", "-id")
    return with_unread(qs, community=community, actor=actor)


def access_topic(*, community: Community, actor: Actor, topic_id: int) -> Topic:
    """A topic the actor may read (scheduled ones only for managers); merged ones are returned for redirects."""
    topic = (
        Topic.objects.for_community(community)
        .filter(permissions.readable_spaces_q(actor, through="space__"), pk=topic_id, deleted_at__isnull=True)
        .select_related("space", "author", "accepted_reply__author", "poll")
        .first()
    )
    if topic is None or not can(actor, "discussions.read"):
        raise Http404("No such topic.")
    if topic.status != TopicStatus.PUBLISHED and not can(actor, "discussions.manage"):
        raise Http404("No such topic.")
    topic.community = community
    return topic


def access_reply(*, community: Community, actor: Actor, reply_id: int) -> Reply:
    reply = (
        Reply.objects.for_community(community)
        .filter(
            permissions.readable_spaces_q(actor, through="topic__space__"), pk=reply_id, topic__deleted_at__isnull=True
        )
        .select_related("topic__space", "author")
        .first()
    )
    if reply is None or not can(actor, "discussions.read") or reply.topic.status != TopicStatus.PUBLISHED:
        raise Http404("No such reply.")
    return reply


def reply_list(*, community: Community, topic: Topic) -> QuerySet[Reply]:
    return (
        Reply.objects.for_community(community)
        .filter(topic=topic)
        .select_related("author", "reply_to__author")
        .defer("search_vector")
        .order_by("position")
    )


def reaction_summary(*, community: Community, actor: Actor, topic: Topic, reply_ids: list[int]) -> dict:
    """{reply_id or None: [(emoji, count, mine)]} for the topic's first post and the given replies, in one query.

    Only the replies on the page: a thread of thousands of replies must not group all of its reactions.
    """
    rows = (
        Reaction.objects.for_community(community)
        .filter(Q(reply__isnull=True) | Q(reply_id__in=reply_ids), topic=topic)
        .values("reply_id", "emoji")
        .annotate(n=Count("pk"), mine=Count("pk", filter=Q(member=actor.member) if actor.is_member else Q(pk=None)))
        .order_by("reply_id", "emoji")
    )
    summary: dict = {}
    for row in rows:
        summary.setdefault(row["reply_id"], []).append((row["emoji"], row["n"], bool(row["mine"])))
    return summary


def poll_results(*, community: Community, actor: Actor, topic: Topic) -> dict | None:
    if topic.kind != TopicKind.POLL or not hasattr(topic, "poll"):
        return None
    poll = topic.poll
    options = list(poll.options.filter(community=community).annotate(n=Count("votes")).order_by("position", "id"))
    mine = set()
    if actor.is_member:
        mine = set(
            PollVote.objects.for_community(community)
            .filter(poll=poll, member=actor.member)
            .values_list("option_id", flat=True)
        )
    total = sum(o.n for o in options)
    visible = poll.results_visibility == "always" or bool(mine) or poll.is_closed
    for o in options:
        o.percent = round(100 * o.n / total) if total else 0
        o.mine = o.pk in mine
    return {"poll": poll, "options": options, "total": total, "voted": bool(mine), "show_results": visible}


@dataclass
class ReaderState:
    """What the topic page shows of one member's own state: read position, watch level, bookmark, draft."""

    seen: int | None = None
    level: str = ""
    bookmarked: bool = False
    draft: str = ""


def reader_state(*, community: Community, actor: Actor, topic: Topic) -> ReaderState:
    """The member's state on a topic in one query (four lookups as scalar subqueries of the member row)."""
    if not actor.is_member:
        return ReaderState()
    mine = {"community_id": community.pk, "member_id": actor.member.pk}
    row = (
        Member.objects.for_community(community)
        .filter(pk=actor.member.pk)
        .annotate(
            seen=Subquery(TopicReadState.objects.filter(**mine, topic=topic).values("seen_position")[:1]),
            level=Subquery(Subscription.objects.filter(**mine, topic=topic).values("level")[:1]),
            bookmarked=Exists(Bookmark.objects.filter(**mine, topic=topic)),
            draft=Subquery(Draft.objects.filter(**mine, key=draft_key(topic)).values("body")[:1]),
        )
        .values("seen", "level", "bookmarked", "draft")
        .first()
    )
    if row is None:
        return ReaderState()
    return ReaderState(row["seen"], row["level"] or "normal", row["bookmarked"], row["draft"] or "")


def draft_key(topic: Topic) -> str:
    """The key of a member's unsent reply to a topic (drafts are per member and key)."""
    return f"reply:topic:{topic.pk}"


def bookmark_list(*, community: Community, actor: Actor) -> QuerySet[Topic]:
    marked = Bookmark.objects.filter(community_id=community.pk, member=actor.member).values("topic_id")
    return topic_queryset(community=community, actor=actor).filter(pk__in=marked).order_by("-last_posted_at")


# Topics sharing a tag are looked for among the community's most recent ones: a common tag matches thousands
# of topics, which would all be read and sorted to show five.
RELATED_BY_TAG_WINDOW = 300


def related_topics(*, community: Community, actor: Actor, topic: Topic, limit: int = 5) -> list[Topic]:
    """The latest topics of the same space and, from other spaces, recent topics sharing a tag: one query."""
    live = topic_queryset(community=community, actor=actor).exclude(pk=topic.pk)
    same_space = live.filter(space_id=topic.space_id).order_by("-last_posted_at")[:limit]
    if not topic.tags:
        return list(same_space)
    recent = (
        Topic.objects.for_community(community)
        .filter(**_live_topic_filter())
        .order_by("-last_posted_at")
        .values("pk")[:RELATED_BY_TAG_WINDOW]
    )
    same_tags = (
        live.filter(pk__in=recent, tags__overlap=topic.tags)
        .exclude(space_id=topic.space_id)
        .order_by("-last_posted_at")[:limit]
    )
    return list(same_space.union(same_tags, all=True).order_by("-last_posted_at")[:limit])


def notification_list(*, community: Community, member: Member) -> QuerySet[Notification]:
    """The member's notifications whose topic they may still read (a mention never outlives access to it)."""
    return (
        Notification.objects.for_community(community)
        .filter(recipient=member, topic__status=TopicStatus.PUBLISHED, topic__deleted_at__isnull=True)
        .filter(permissions.recipient_reads_q())
        .select_related("actor", "topic", "reply")
        .defer(
            "topic__body",
            "topic__body_html",
            "topic__search_vector",
            "reply__body",
            "reply__body_html",
            "reply__search_vector",
        )
        .order_by("-created_at", "-id")
    )


# How far back a profile looks for the author's topics and replies that the reader may see.
PROFILE_REPLY_WINDOW = 200


def member_profile(*, community: Community, actor: Actor, member_id: int) -> dict:
    if not can(actor, "discussions.read"):
        raise Http404("No such member.")
    member = Member.objects.for_community(community).filter(pk=member_id).first()
    if member is None or member.status in ("erased", "pending"):
        raise Http404("No such member.")
    # The author's newest posts first (topic_author / reply_author index, LIMIT), then the readable ones among
    # them. Asked in one go, the planner, which underestimates a big community's topics under RLS, read every
    # readable topic and the author's replies in each (16k replies, 68 ms for the busiest author of the full
    # bench); this way the work is bounded by the window whatever the author's history.
    newest_topics = (
        Topic.objects.for_community(community)
        .filter(author=member)
        .order_by("-created_at")
        .values("pk")[:PROFILE_REPLY_WINDOW]
    )
    topics = list(
        topic_list(community=community, actor=actor, author_id=member.pk)
        .filter(pk__in=newest_topics)
        .order_by("-created_at")[:20]
    )
    newest = (
        Reply.objects.for_community(community)
        .filter(author=member, deleted_at__isnull=True)
        .order_by("-created_at")
        .values("pk")[:PROFILE_REPLY_WINDOW]
    )
    replies = list(
        Reply.objects.for_community(community)
        .filter(pk__in=newest)
        .filter(permissions.readable_spaces_q(actor, through="topic__space__"), **_live_topic_filter("topic__"))
        .select_related("topic")
        .defer("search_vector", "topic__body", "topic__search_vector")
        .order_by("-created_at")[:20]
    )
    return {"profile": member, "topics": topics, "replies": replies}


# --- Search.


@dataclass
class SearchHit:
    kind: str  # "topic" or "reply"
    topic: Topic
    reply_position: int | None
    rank: float
    snippet: str
    created_at: datetime


# Sentinels that cannot occur in posts: the snippet is escaped first, then the marks become <mark>.
_START, _STOP = "\x02", "\x03"


def _safe_snippet(text: str) -> str:
    return mark_safe(escape(text or "").replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def search(
    *,
    community: Community,
    actor: Actor,
    q: str,
    space: Space | None = None,
    tag: str = "",
    author_id: int | None = None,
    kind: str = "",
    solved: bool | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 30,
) -> list[SearchHit]:
    """Ranked full-text search over topics and replies the actor may read, with highlighted snippets."""
    q = (q or "").strip()
    if not q:
        return []
    query = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    on_topic: dict = {}
    if space is not None:
        on_topic["space"] = space
    if tag:
        on_topic["tags__contains"] = [tag]
    if kind:
        on_topic["kind"] = kind
    if solved is not None:
        on_topic["accepted_reply__isnull"] = not solved
    headline = {"config": SEARCH_CONFIG, "start_sel": _START, "stop_sel": _STOP, "max_fragments": 2}
    topic_hits = topic_queryset(community=community, actor=actor).filter(**on_topic, search_vector=query)
    # Replies filter their topic through the join, not `topic__in=<subquery>`: the reply GIN index drives
    # instead of the planner hashing every readable topic first.
    reply_hits = Reply.objects.for_community(community).filter(
        permissions.readable_spaces_q(actor, through="topic__space__"),
        **_live_topic_filter("topic__"),
        **{f"topic__{key}": value for key, value in on_topic.items()},
        deleted_at__isnull=True,
        search_vector=query,
    )
    if author_id:
        topic_hits = topic_hits.filter(author_id=author_id)
        reply_hits = reply_hits.filter(author_id=author_id)
    for bound, op in ((since, "gte"), (until, "lt")):
        if bound is not None:
            value = bound + timedelta(days=1) if op == "lt" else bound
            topic_hits = topic_hits.filter(**{f"created_at__date__{op}": value})
            reply_hits = reply_hits.filter(**{f"created_at__date__{op}": value})
    topic_rows = topic_hits.annotate(
        rank=SearchRank(F("search_vector"), query),
        snippet=SearchHeadline(Concat("title", Value(" — "), "body", output_field=TextField()), query, **headline),
    ).order_by("-rank", "-id")[:limit]
    reply_rows = (
        reply_hits.select_related("topic__space", "topic__author")
        .defer("topic__body", "topic__search_vector", "search_vector")
        .annotate(rank=SearchRank(F("search_vector"), query), snippet=SearchHeadline("body", query, **headline))
        .order_by("-rank", "-id")[:limit]
    )
    hits = [SearchHit("topic", t, None, t.rank, _safe_snippet(t.snippet), t.created_at) for t in topic_rows]
    hits += [
        SearchHit("reply", r.topic, r.position, r.rank, _safe_snippet(r.snippet), r.created_at) for r in reply_rows
    ]
    hits.sort(key=lambda h: (-h.rank, -h.created_at.timestamp()))
    return hits[:limit]
