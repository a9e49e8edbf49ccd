"""Merging two members into one person, and undoing it exactly from the merge record."""

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from community.errors import ServiceError
from community.models import (
    Activity,
    Community,
    Identity,
    Member,
    MemberMerge,
    MemberStatus,
    MergeSuggestion,
    SuggestionStatus,
)
from community.page_cache import public_pages_changed
from community.policy import RANK, Actor, can, can_merge

from .audit import audit_record

CLOSED = (MemberStatus.MERGED, MemberStatus.ERASED)


def member_merge(*, community: Community, actor: Actor, target: Member, source: Member) -> MemberMerge:
    """Move `source`'s identities and activities to `target`; `source` stays, marked merged, for an unmerge."""
    if not can(actor, "members.merge"):
        raise ServiceError("You may not merge members.", code="permission_denied")
    if not can_merge(actor, target, source):
        raise ServiceError(
            "Only an owner or admin merges members who hold a login, a staff role of your rank or higher.",
            code="permission_denied",
        )
    if source.pk == target.pk:
        raise ServiceError("Choose two different members.", field="source")
    if source.status in CLOSED or target.status in CLOSED:
        raise ServiceError("A merged or erased member cannot be merged.", code="conflict")
    public_pages_changed(community.pk)
    if source.user_id and target.user_id:
        raise ServiceError("Both members have a Hearth login; they cannot be one person.", code="conflict")
    with transaction.atomic():
        identity_ids = list(
            Identity.objects.for_community(community).filter(member=source).values_list("id", flat=True)
        )
        activity_ids = list(
            Activity.objects.for_community(community).filter(member=source).values_list("id", flat=True)
        )
        Identity.objects.for_community(community).filter(id__in=identity_ids).update(member=target)
        Activity.objects.for_community(community).filter(id__in=activity_ids).update(member=target)
        state = {
            "status": source.status,
            "role": source.role,
            "user_id": source.user_id,
            "added_tags": sorted(set(source.tags) - set(target.tags)),
            "added_emails": sorted({e for e in [source.email, *source.emails] if e} - {target.email, *target.emails}),
            "target_organization_id": target.organization_id,
            "target_role": target.role,  # undo restores both roles exactly
        }
        if source.user_id:
            user_id, role = source.user_id, source.role
            Member.objects.for_community(community).filter(pk=source.pk).update(user=None)
            target.user_id = user_id
            # Never above the actor's own rank (can_merge already refused merges of anyone who outranks the actor).
            if RANK[target.role] < RANK[role] <= actor.rank:
                target.role = role
        target.tags = sorted(set(target.tags) | set(source.tags))
        target.emails = [*target.emails, *state["added_emails"]]
        target.organization_id = target.organization_id or source.organization_id
        target.activity_count += len(activity_ids)
        target.first_seen_at = _min(target.first_seen_at, source.first_seen_at)
        target.last_active_at = _max(target.last_active_at, source.last_active_at)
        target.custom_fields = {**source.custom_fields, **target.custom_fields}
        target.save()
        source.user_id = None
        source.status = MemberStatus.MERGED
        source.merged_into = target
        source.activity_count = 0
        source.save(update_fields=["user", "status", "merged_into", "activity_count"])
        merge = MemberMerge.objects.create(
            community=community,
            target=target,
            source=source,
            identity_ids=identity_ids,
            activity_ids=activity_ids,
            source_state=state,
            merged_by_id=actor.user_id,
        )
        MergeSuggestion.objects.for_community(community).filter(
            member_id__in=[source.pk, target.pk], other_id__in=[source.pk, target.pk]
        ).update(status=SuggestionStatus.MERGED)
        audit_record(community=community, actor=actor, action="member.merge", member_id=target.pk, source_id=source.pk)
    return merge


def member_unmerge(*, community: Community, actor: Actor, merge: MemberMerge) -> Member:
    """Give back to the source exactly what the merge moved; return the restored source member."""
    if not can(actor, "members.merge"):
        raise ServiceError("You may not unmerge members.", code="permission_denied")
    if merge.undone_at is not None:
        raise ServiceError("This merge was undone already.", code="conflict")
    public_pages_changed(community.pk)
    members = Member.objects.for_community(community).in_bulk([merge.source_id, merge.target_id])
    source, target = members[merge.source_id], members[merge.target_id]
    state = merge.source_state
    restored_source = Member(role=state.get("role", source.role), user_id=state.get("user_id"))
    if not can_merge(actor, target, restored_source):
        raise ServiceError("Only an owner or admin undoes this merge.", code="permission_denied")
    if target.status in CLOSED:
        raise ServiceError("Undo the later merge (or erase) of the target first.", code="conflict")
    with transaction.atomic():
        Identity.objects.for_community(community).filter(id__in=merge.identity_ids, member=target).update(member=source)
        Activity.objects.for_community(community).filter(id__in=merge.activity_ids, member=target).update(member=source)
        if state.get("user_id") and target.user_id == state["user_id"]:
            Member.objects.for_community(community).filter(pk=target.pk).update(user=None)
            target.user_id = None
            source.user_id = state["user_id"]
        target.tags = [t for t in target.tags if t not in set(state.get("added_tags", []))]
        target.emails = [e for e in target.emails if e not in set(state.get("added_emails", []))]
        if "target_organization_id" in state and target.organization_id == source.organization_id:
            target.organization_id = state["target_organization_id"]
        source.status = state.get("status", MemberStatus.ACTIVE)
        source.role = state.get("role", source.role)
        target.role = state.get("target_role", target.role)
        source.merged_into = None
        for member in (source, target):
            _recount(community, member)
        source.save()
        target.save()
        merge.undone_at = timezone.now()
        merge.save(update_fields=["undone_at"])
        audit_record(
            community=community, actor=actor, action="member.unmerge", member_id=target.pk, source_id=source.pk
        )
    return source


def suggestion_dismiss(*, community: Community, actor: Actor, suggestion: MergeSuggestion) -> MergeSuggestion:
    if not can(actor, "members.merge"):
        raise ServiceError("You may not manage merge suggestions.", code="permission_denied")
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.save(update_fields=["status"])
    return suggestion


def suggestion_accept(*, community: Community, actor: Actor, suggestion: MergeSuggestion) -> MemberMerge:
    """Merge the newer member of the pair into the older one."""
    members = Member.objects.for_community(community).in_bulk([suggestion.member_id, suggestion.other_id])
    older, newer = sorted(members.values(), key=lambda m: m.pk)
    return member_merge(community=community, actor=actor, target=older, source=newer)


def _recount(community: Community, member: Member) -> None:
    stats = (
        Activity.objects.for_community(community)
        .filter(member=member)
        .aggregate(n=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    )
    member.activity_count = stats["n"]
    member.last_active_at = stats["last"]
    member.first_seen_at = stats["first"] or member.first_seen_at


def _min(a, b):
    return b if a is None else a if b is None else min(a, b)


def _max(a, b):
    return b if a is None else a if b is None else max(a, b)
