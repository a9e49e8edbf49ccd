"""GDPR: export everything Hearth holds on a member; erase a member (anonymize, keep activities anonymous)."""

from django.db import transaction
from django.db.models import Q

from community.errors import ServiceError
from community.models import (
    Activity,
    Community,
    Identity,
    Member,
    MemberMerge,
    MemberStatus,
    MergeSuggestion,
    Role,
    StaffNote,
)
from community.page_cache import public_pages_changed
from community.policy import Actor, can

from .audit import audit_record

ERASED_NAME = "Erased member"
PROFILE_FIELDS = (
    "id", "display_name", "handle", "email", "emails", "avatar_url", "bio", "location", "tags", "custom_fields",
    "role", "status", "joined_at", "first_seen_at", "last_active_at", "activity_count",
)  # fmt: skip


def member_export(*, community: Community, actor: Actor, member: Member) -> dict:
    """Everything held on the person: profile, identities, activities, staff notes, merges (and merged records)."""
    if not can(actor, "members.export"):
        raise ServiceError("You may not export members' data.", code="permission_denied")
    people = [member.pk, *_merged_into(community, member)]
    profile = {field: getattr(member, field) for field in PROFILE_FIELDS}
    profile["organization"] = member.organization.name if member.organization_id else None
    data = {
        "community": community.slug,
        "member": profile,
        "identities": list(
            Identity.objects.for_community(community)
            .filter(member_id__in=people)
            .order_by("id")
            .values("channel", "external_id", "handle", "name", "email", "url", "profile", "created_at")
        ),
        "activities": list(
            Activity.objects.for_community(community)
            .filter(member_id__in=people)
            .order_by("occurred_at", "id")
            .values("id", "kind", "channel", "source", "external_id", "occurred_at", "title", "body", "url")
        ),
        "staff_notes": list(
            StaffNote.objects.for_community(community)
            .filter(member_id__in=people)
            .order_by("created_at")
            .values("body", "created_at")
        ),
        "merged_records": list(
            Member.objects.for_community(community)
            .filter(pk__in=people[1:])
            .values("id", "display_name", "handle", "email", "emails")
        ),
    }
    audit_record(community=community, actor=actor, action="member.export", member_id=member.pk)
    return data


def member_erase(*, community: Community, actor: Actor, member: Member) -> Member:
    """Anonymize the member (and records merged into it); activities stay, without a member; identities go."""
    if not can(actor, "members.erase"):
        raise ServiceError("You may not erase members.", code="permission_denied")
    if member.role == Role.OWNER and member.user_id:
        raise ServiceError("An owner cannot be erased; hand ownership to someone first.", code="conflict")
    if member.status == MemberStatus.ERASED:
        raise ServiceError("This member was erased already.", code="conflict")
    people = [member.pk, *_merged_into(community, member)]
    public_pages_changed(community.pk)  # the erased name must leave cached public pages too
    with transaction.atomic():
        anonymized = Activity.objects.for_community(community).filter(member_id__in=people).update(member=None)
        identities, _ = Identity.objects.for_community(community).filter(member_id__in=people).delete()
        StaffNote.objects.for_community(community).filter(member_id__in=people).delete()
        MergeSuggestion.objects.for_community(community).filter(
            Q(member_id__in=people) | Q(other_id__in=people)
        ).delete()
        MemberMerge.objects.for_community(community).filter(Q(source_id__in=people) | Q(target_id__in=people)).update(
            source_state={}, identity_ids=[], activity_ids=[]
        )
        Member.objects.for_community(community).filter(pk__in=people).update(
            display_name=ERASED_NAME,
            handle="",
            email="",
            emails=[],
            avatar_url="",
            bio="",
            location="",
            tags=[],
            custom_fields={},
            organization=None,
            user=None,
            role=Role.MEMBER,
            status=MemberStatus.ERASED,
            activity_count=0,
            merged_into=None,
        )
        audit_record(
            community=community,
            actor=actor,
            action="member.erase",
            member_id=member.pk,
            records=len(people),
            activities_anonymized=anonymized,
            identities_deleted=identities,
        )
    member.refresh_from_db()
    return member


def _merged_into(community: Community, member: Member) -> list[int]:
    """Records merged (directly or by a chain) into this member: the same person."""
    found: list[int] = []
    frontier = [member.pk]
    while frontier:
        frontier = list(
            Member.objects.for_community(community)
            .filter(merged_into_id__in=frontier, status=MemberStatus.MERGED)
            .values_list("id", flat=True)
        )
        found += frontier
    return found
