"""Reads of moderation: the queue with each item's context, flags, sanctions, appeals, the log, guidelines, and the
figures the insights dashboard shows (`moderation_figures`)."""

from datetime import datetime

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from community.models import Community, Member, MemberStatus
from integrations.selectors import removal_annotations

from .models import (
    Appeal,
    Flag,
    FlagReason,
    GuidelinesAcceptance,
    ItemStatus,
    LogEntry,
    MemberTrust,
    QueueItem,
    Sanction,
    SubjectKind,
    WatchedWord,
)


def _count(qs) -> Coalesce:
    return Coalesce(
        Subquery(qs.order_by().values("community_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def queue_list(*, community: Community, status: str | None = ItemStatus.OPEN, kind: str | None = None) -> QuerySet:
    """Items by priority, with their author, holder, flags (and reporters), the author's history and, for channel
    activities, the removal on the platform beside them: three queries whatever the number of items."""
    qs = QueueItem.objects.for_community(community)
    if status:
        qs = qs.filter(status=status)
    if status == ItemStatus.OPEN:
        # A request to join approved or declined on the members page meanwhile has nothing left to decide.
        pending = Member.objects.filter(
            community_id=community.pk, pk=OuterRef("subject_id"), status=MemberStatus.PENDING
        )
        qs = qs.exclude(Q(subject_kind=SubjectKind.SIGNUP) & ~Exists(pending))
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
        .annotate(
            **removal_annotations(
                community=community, kind_field="subject_kind", kind="activity", id_field="subject_id"
            )
        )
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


ITEMS_SQL = """
SELECT count(*) FILTER (WHERE status = 'open'),
       min(created_at) FILTER (WHERE status = 'open'),
       count(*) FILTER (WHERE created_at >= %(since)s AND created_at < %(until)s),
       count(*) FILTER (WHERE resolved_at >= %(since)s AND resolved_at < %(until)s),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at))
           FILTER (WHERE resolved_at >= %(since)s AND resolved_at < %(until)s),
       count(*) FILTER (WHERE resolved_at >= %(since)s AND resolved_at < %(until)s AND source = 'scorer'
                          AND array_to_string(reasons, '|') LIKE '%%hold level%%'),
       count(*) FILTER (WHERE resolved_at >= %(since)s AND resolved_at < %(until)s AND source = 'scorer'
                          AND array_to_string(reasons, '|') LIKE '%%hold level%%' AND status = 'approved')
FROM "moderation_queueitem"
WHERE community_id = %(community)s
"""


def moderation_figures(*, community: Community, since: datetime, until: datetime, now: datetime) -> dict:
    """Figures of the period [since, until) in four queries:

    - queue size and age: items open now, and how long the oldest has waited;
    - time to first action: the median time from an item opening to its decision, over items decided in the period;
    - flags by reason: members' flags raised in the period;
    - actions by moderator: decisions, sanctions and appeal rulings people made in the period (the log, not the scorer);
    - automatically held, later approved: of the items the screen held (a hold level reached) that were decided in the
      period, the share a moderator approved: how often the machine held something a person let through.
    """
    with connection.cursor() as cursor:
        cursor.execute(ITEMS_SQL, {"community": community.pk, "since": since, "until": until})
        open_now, oldest, opened, decided, median, held, held_approved = cursor.fetchone()
    reasons = dict(FlagReason.choices)
    flags = (
        Flag.objects.for_community(community)
        .filter(created_at__gte=since, created_at__lt=until)
        .values("reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")
    )
    actions = (
        LogEntry.objects.for_community(community)
        .filter(created_at__gte=since, created_at__lt=until, actor_member_id__isnull=False)  # people, not scorers
        .values("actor_label")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_label")[:10]
    )
    return {
        "open_now": open_now,
        "oldest_open_seconds": (now - oldest).total_seconds() if oldest else None,
        "opened": opened,
        "decided": decided,
        "median_first_action_seconds": median,
        "flags_by_reason": [{"reason": reasons.get(f["reason"], f["reason"]), "count": f["n"]} for f in flags],
        "actions_by_moderator": [{"name": a["actor_label"], "count": a["n"]} for a in actions],
        "auto_held_decided": held,
        "auto_held_approved_share": (held_approved / held) if held else None,
    }


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
