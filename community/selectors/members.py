"""Reads of members: the directory's filters (shared by pages, API, segments and CSV export), profiles, merges."""

from datetime import datetime, time

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from community.models import (
    Activity,
    Community,
    CustomField,
    Identity,
    Member,
    MemberMerge,
    MemberStatus,
    MergeSuggestion,
    Organization,
    Segment,
    StaffNote,
    SuggestionStatus,
)

# The directory's filter parameters; a segment stores a dict of these.
FILTER_KEYS = ("q", "tag", "organization", "channel", "status", "role", "active_from", "active_to")
SORTS = {
    "last_active": (F("last_active_at").desc(nulls_last=True), "-id"),
    "activity": ("-activity_count", "-id"),
    "joined": ("-joined_at", "-id"),
    "name": ("display_name", "id"),
}


def parse_moment(value: str | None, *, end: bool = False) -> datetime | None:
    """A date ("2026-01-31", the whole day) or an ISO date-time; None when empty or unreadable."""
    if not value:
        return None
    try:
        day = parse_date(value) if len(value) == 10 else None
    except ValueError:
        return None
    if day is not None:
        moment = datetime.combine(day, time.max if end else time.min)
    else:
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def clean_filters(params) -> dict[str, str]:
    """Keep the known, non-empty filter parameters (from a QueryDict, a dict or a segment)."""
    return {key: str(params.get(key)).strip() for key in FILTER_KEYS if params.get(key) not in (None, "")}


def member_directory(
    *, community: Community, filters: dict | None = None, segment_id: int | str | None = None, sort: str = "last_active"
) -> QuerySet[Member]:
    """Members matching the directory filters (and a saved segment's), sorted; merged members are hidden."""
    filters = dict(filters or {})
    if segment_id:
        segment = Segment.objects.for_community(community).filter(pk=_int(segment_id)).first()
        if segment is None:
            return Member.objects.none()
        filters = {**clean_filters(segment.filters), **filters}
    qs = Member.objects.for_community(community).select_related("organization")
    # Merged records are hidden unless asked for by status.
    qs = qs.filter(status=filters["status"]) if filters.get("status") else qs.exclude(status=MemberStatus.MERGED)
    if filters.get("role"):
        qs = qs.filter(role=filters["role"])
    if filters.get("tag"):
        qs = qs.filter(tags__contains=[filters["tag"]])
    if filters.get("organization"):
        qs = qs.filter(organization_id=_int(filters["organization"]))
    if filters.get("channel"):
        qs = qs.filter(
            Exists(Identity.objects.filter(community=community, member=OuterRef("pk"), channel=filters["channel"]))
        )
    active_from = parse_moment(filters.get("active_from"))
    active_to = parse_moment(filters.get("active_to"), end=True)
    if active_from or active_to:
        activities = Activity.objects.filter(community=community, member=OuterRef("pk"))
        if active_from:
            activities = activities.filter(occurred_at__gte=active_from)
        if active_to:
            activities = activities.filter(occurred_at__lte=active_to)
        qs = qs.filter(Exists(activities))
    if filters.get("q"):
        term = filters["q"]
        qs = qs.filter(
            Q(display_name__icontains=term)
            | Q(handle__icontains=term)
            | Q(email__icontains=term)
            | Exists(Identity.objects.filter(community=community, member=OuterRef("pk"), handle__icontains=term))
        )
    return qs.order_by(*SORTS.get(sort, SORTS["last_active"]))


def access_member_profile(*, community: Community, member_id: int) -> Member:
    member = Member.objects.for_community(community).select_related("organization", "user").filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    return member


def identity_list(*, community: Community, member_id: int) -> QuerySet[Identity]:
    return Identity.objects.for_community(community).filter(member_id=member_id).order_by("channel", "id")


def staff_note_list(*, community: Community, member_id: int) -> QuerySet[StaffNote]:
    return (
        StaffNote.objects.for_community(community)
        .filter(member_id=member_id)
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def custom_field_list(*, community: Community) -> QuerySet[CustomField]:
    return CustomField.objects.for_community(community).order_by("position", "id")


def segment_list(*, community: Community) -> QuerySet[Segment]:
    return Segment.objects.for_community(community).order_by("name")


def access_segment(*, community: Community, segment_id: int) -> Segment:
    segment = Segment.objects.for_community(community).filter(pk=segment_id).first()
    if segment is None:
        raise Http404("No such segment.")
    return segment


def tag_list(*, community: Community, limit: int = 200) -> list[str]:
    """Tags in use, most frequent first (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT t FROM "{Member._meta.db_table}", unnest(tags) AS t '  # noqa: S608 (static table name)
            "WHERE community_id = %s AND status <> %s GROUP BY t ORDER BY count(*) DESC, t LIMIT %s",
            [community.pk, MemberStatus.MERGED, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def channel_list(*, community: Community) -> list[str]:
    return list(
        Identity.objects.for_community(community).order_by("channel").values_list("channel", flat=True).distinct()
    )


def suggestion_list(*, community: Community, member_id: int | None = None) -> QuerySet[MergeSuggestion]:
    qs = (
        MergeSuggestion.objects.for_community(community)
        .filter(status=SuggestionStatus.OPEN)
        .exclude(member__status__in=[MemberStatus.MERGED, MemberStatus.ERASED])
        .exclude(other__status__in=[MemberStatus.MERGED, MemberStatus.ERASED])
        .select_related("member", "other")
    )
    if member_id is not None:
        qs = qs.filter(Q(member_id=member_id) | Q(other_id=member_id))
    return qs.order_by("-created_at", "-id")


def access_suggestion(*, community: Community, suggestion_id: int) -> MergeSuggestion:
    suggestion = MergeSuggestion.objects.for_community(community).filter(pk=suggestion_id).first()
    if suggestion is None:
        raise Http404("No such suggestion.")
    return suggestion


def merge_list(*, community: Community, member_id: int) -> QuerySet[MemberMerge]:
    """Merges into this member, newest first (the profile offers to undo them)."""
    return (
        MemberMerge.objects.for_community(community)
        .filter(target_id=member_id)
        .select_related("source")
        .order_by("-created_at", "-id")
    )


def access_merge(*, community: Community, merge_id: int) -> MemberMerge:
    merge = MemberMerge.objects.for_community(community).filter(pk=merge_id).first()
    if merge is None:
        raise Http404("No such merge.")
    return merge


def organization_list(*, community: Community) -> QuerySet[Organization]:
    from django.db.models import Count, Sum

    return (
        Organization.objects.for_community(community)
        .annotate(
            member_count=Count("members", filter=~Q(members__status=MemberStatus.MERGED)),
            activity_count=Sum("members__activity_count"),
        )
        .order_by("name")
    )


def access_organization(*, community: Community, organization_id: int) -> Organization:
    organization = organization_list(community=community).filter(pk=organization_id).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
