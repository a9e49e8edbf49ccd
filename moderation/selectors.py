"""Reads of moderation: the queue with each item's context, flags, sanctions, appeals, the log, guidelines."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from community.models import Community, Member

from .models import (
    Appeal,
    Flag,
    GuidelinesAcceptance,
    ItemStatus,
    LogEntry,
    MemberTrust,
    QueueItem,
    Sanction,
    WatchedWord,
)


def _count(qs) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values("community_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def queue_list(*, community: Community, status: str | None = ItemStatus.OPEN, kind: str | None = None) -> QuerySet:
    """Items by priority, with their author, holder, flags (and reporters) and the author's history beside them:
    three queries whatever the number of items."""
    qs = QueueItem.objects.for_community(community)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(subject_kind=kind)
    sanctions = Sanction.objects.filter(community_id=community.pk, member_id=OuterRef("author_id"))
    upheld = QueueItem.objects.filter(
        community_id=community.pk,
        author_id=OuterRef("author_id"),
        status__in=[ItemStatus.REJECTED, ItemStatus.HIDDEN],
    )
    flags = Flag.objects.for_community(community).select_related("reporter").order_by("created_at")
    return (
        qs.select_related("author", "claimed_by")
        .annotate(author_sanctions=_count(sanctions), author_upheld=_count(upheld))
        .prefetch_related(Prefetch("flags", queryset=flags))
        .order_by("-priority", "id")
    )


def access_item(*, community: Community, item_id: int) -> QueueItem:
    item = queue_list(community=community, status=None).filter(pk=item_id).first()
    if item is None:
        raise Http404("No such item.")
    return item


def flag_list(*, community: Community) -> QuerySet:
    return Flag.objects.for_community(community).select_related("reporter").order_by("-id")


def sanction_list(*, community: Community, member_id: int | None = None) -> QuerySet:
    qs = Sanction.objects.for_community(community).select_related("member").order_by("-id")
    return qs.filter(member_id=member_id) if member_id else qs


def access_sanction(*, community: Community, sanction_id: int) -> Sanction:
    sanction = sanction_list(community=community).filter(pk=sanction_id).first()
    if sanction is None:
        raise Http404("No such sanction.")
    return sanction


def member_sanctions(*, community: Community, member: Member) -> list[Sanction]:
    """What a member sees of their own record: every sanction with its appeal (if any)."""
    return list(
        Sanction.objects.for_community(community)
        .filter(member=member)
        .prefetch_related(Prefetch("appeals", queryset=Appeal.objects.for_community(community)))
        .order_by("-created_at")
    )


def appeal_list(*, community: Community) -> QuerySet:
    return Appeal.objects.for_community(community).select_related("sanction", "member").order_by("-id")


def access_appeal(*, community: Community, appeal_id: int) -> Appeal:
    appeal = appeal_list(community=community).select_related("sanction__member").filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404("No such appeal.")
    return appeal


LOG_FILTERS = ("action", "actor_member_id", "target_member_id", "subject_kind")


def log_list(*, community: Community, filters: dict | None = None) -> QuerySet:
    """The log, newest first; filters by action (or an "action." prefix), actor, target, subject kind, dates."""
    qs = LogEntry.objects.for_community(community)
    filters = filters or {}
    action = filters.get("action")
    if action:
        qs = qs.filter(action__startswith=action) if action.endswith(".") else qs.filter(action=action)
    for name in ("actor_member_id", "target_member_id"):
        if filters.get(name) is not None:
            qs = qs.filter(**{name: filters[name]})
    if filters.get("subject_kind"):
        qs = qs.filter(subject_kind=filters["subject_kind"])
    if filters.get("since"):
        qs = qs.filter(created_at__gte=filters["since"])
    if filters.get("until"):
        qs = qs.filter(created_at__lt=filters["until"])
    return qs.order_by("-created_at", "-id")


GUIDELINES_DEFAULT = (
    "Be kind and assume good faith.\n"
    "No spam, no self-promotion without a reason to be here.\n"
    "No harassment, hate or personal attacks.\n"
    "Stay on topic; use the right space.\n"
    "Flag what breaks these rules instead of answering it."
)


def guidelines_get(community: Community) -> dict:
    """{"version": n, "text": …}: version 0 is the built-in default until a manager writes the community's own."""
    stored = (community.settings or {}).get("moderation", {}).get("guidelines") or {}
    return {"version": int(stored.get("version", 0)), "text": stored.get("text") or GUIDELINES_DEFAULT}


def guidelines_accepted(*, community: Community, member: Member | None) -> bool:
    if member is None:
        return False
    version = guidelines_get(community)["version"]
    return GuidelinesAcceptance.objects.for_community(community).filter(member=member, version=version).exists()


def counts(*, community: Community) -> dict:
    return QueueItem.objects.for_community(community).aggregate(
        open=Count("pk", filter=Q(status=ItemStatus.OPEN)),
        hidden=Count("pk", filter=Q(status=ItemStatus.OPEN, content_hidden=True)),
    )


def watched_word_list(*, community: Community) -> QuerySet:
    return WatchedWord.objects.for_community(community).order_by("action", "pattern", "id")


def access_watched_word(*, community: Community, word_id) -> WatchedWord:
    word = watched_word_list(community=community).filter(pk=word_id).first()
    if word is None:
        raise Http404("No such watched word.")
    return word


def trust_list(*, community: Community, member_id: int | None = None) -> QuerySet:
    qs = MemberTrust.objects.for_community(community).select_related("member").order_by("-level", "member_id")
    return qs.filter(member_id=member_id) if member_id else qs
