"""Reads of the activity stream: filters for the API, the timeline and the organization page."""

from django.contrib.postgres.search import SearchQuery
from django.db.models import QuerySet
from django.http import Http404

from community.errors import ServiceError
from community.models import Activity, Community
from community.models.activity import SEARCH_CONFIG

from .members import parse_moment

ACTIVITY_FILTER_KEYS = ("member", "kind", "channel", "source", "since", "until", "q", "organization", "sentiment",
                        "moderation_status")  # fmt: skip
SENTIMENT_LABELS = ("positive", "neutral", "negative")
# "unscreened" is the empty status of rows the moderation listener has not scored yet.
MODERATION_STATUSES = {"published": "published", "flagged": "flagged", "held": "held", "removed": "removed",
                       "unscreened": ""}  # fmt: skip


def activity_list(*, community: Community, filters: dict | None = None) -> QuerySet[Activity]:
    """Activities newest first with `member` joined; filters: member, kind, channel, source, since, until, q,
    sentiment (a label; index `activity_sentiment_occurred`), moderation_status (index `activity_moderation`)."""
    filters = filters or {}
    qs = Activity.objects.for_community(community).select_related("member")
    if filters.get("member"):
        qs = qs.filter(member_id=_int(filters["member"]))
    if filters.get("organization"):
        qs = qs.filter(member__organization_id=_int(filters["organization"]))
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("sentiment"):
        if filters["sentiment"] not in SENTIMENT_LABELS:
            raise ServiceError("sentiment: expected positive, neutral or negative.", field="sentiment")
        qs = qs.filter(sentiment_label=filters["sentiment"])
    if filters.get("moderation_status"):
        if filters["moderation_status"] not in MODERATION_STATUSES:
            raise ServiceError(
                "moderation_status: expected " + ", ".join(MODERATION_STATUSES) + ".", field="moderation_status"
            )
        qs = qs.filter(moderation_status=MODERATION_STATUSES[filters["moderation_status"]])
    since = parse_moment(filters.get("since"))
    until = parse_moment(filters.get("until"), end=True)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lte=until)
    if filters.get("q"):
        # The stored `search_vector` column carries the GIN index `activity_search` (usable under RLS).
        qs = qs.filter(search_vector=SearchQuery(filters["q"], config=SEARCH_CONFIG, search_type="websearch"))
    return qs.order_by("-occurred_at", "-id")


def access_activity(*, community: Community, activity_id: int) -> Activity:
    activity = Activity.objects.for_community(community).select_related("member").filter(pk=activity_id).first()
    if activity is None:
        raise Http404("No such activity.")
    return activity


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
