"""Joining, approving and changing members' roles and status."""

from django.utils import timezone

from community import registry
from community.errors import ServiceError
from community.models import Community, Member, MemberStatus, Role
from community.policy import Actor, can, can_act_on, can_assign_role
from community.task_queue import enqueue_on_commit

from .activities import activity_record
from .communities import display_name_for


def member_join(*, community: Community, user) -> Member:
    """Join a public community directly; ask to join a private one (staff approve)."""
    member = Member.objects.for_community(community).filter(user=user).first()
    status = MemberStatus.ACTIVE if community.is_public else MemberStatus.PENDING
    if member is not None:
        if member.status in (MemberStatus.BANNED, MemberStatus.SUSPENDED):
            raise ServiceError("You cannot join this community.", code="permission_denied")
        if member.status in (MemberStatus.LEFT, MemberStatus.ERASED):
            member.status = status
            member.save(update_fields=["status"])
            if status == MemberStatus.PENDING:
                _announce_join_request(community, member)
        return member
    member = Member.objects.create(
        community=community, user=user, status=status, display_name=display_name_for(user), email=user.email
    )
    if member.is_active:
        _record_join(community, member)
    else:
        _announce_join_request(community, member)
    return member


def _announce_join_request(community: Community, member: Member) -> None:
    for task_name in registry.join_request_listeners():
        enqueue_on_commit(task_name, community.pk, member.pk)


def _record_join(community: Community, member: Member) -> None:
    # Joining is part of the member's story: the stream (and metrics built on it) sees it like any activity.
    activity_record(
        community=community,
        member=member,
        kind="join",
        source="hearth",
        external_id=f"join:{member.pk}",
        occurred_at=timezone.now(),
        title=f"{member.display_name} joined {community.name}",
        channel="forum",
    )


def member_leave(*, community: Community, member: Member) -> Member:
    if member.role == Role.OWNER and _owner_count(community) == 1:
        raise ServiceError("The last owner cannot leave; hand ownership to someone first.", code="conflict")
    member.status = MemberStatus.LEFT
    member.save(update_fields=["status"])
    return member


def member_approve(*, community: Community, actor: Actor, member: Member) -> Member:
    if not can(actor, "members.approve"):
        raise ServiceError("You may not approve members.", code="permission_denied")
    if member.status != MemberStatus.PENDING:
        raise ServiceError("This person has not asked to join.", code="conflict")
    member.status = MemberStatus.ACTIVE
    member.joined_at = timezone.now()
    member.save(update_fields=["status", "joined_at"])
    _record_join(community, member)
    return member


def member_decline(*, community: Community, actor: Actor, member: Member) -> Member:
    """Turn down a request to join: the person is not a member (status left) and may ask again later."""
    if not can(actor, "members.approve"):
        raise ServiceError("You may not decide on requests to join.", code="permission_denied")
    if member.status != MemberStatus.PENDING:
        raise ServiceError("This person has not asked to join.", code="conflict")
    member.status = MemberStatus.LEFT
    member.save(update_fields=["status"])
    return member


def member_update(*, community: Community, actor: Actor, member: Member, **fields) -> Member:
    """Change a member's role, status or profile basics, each under its own permission."""
    if "role" in fields and fields["role"] != member.role:
        if fields["role"] not in Role.values:
            raise ServiceError(f"Unknown role {fields['role']!r}.", field="role")
        if not can_assign_role(actor, member, fields["role"]):
            raise ServiceError("You may not give or take this role.", code="permission_denied", field="role")
        if member.role == Role.OWNER and _owner_count(community) == 1:
            raise ServiceError("A community keeps at least one owner.", code="conflict", field="role")
    other = set(fields) - {"role"}
    if other and not can(actor, "members.update"):
        raise ServiceError("You may not change members.", code="permission_denied")
    if "status" in fields and fields["status"] not in MemberStatus.values:
        raise ServiceError(f"Unknown status {fields['status']!r}.", field="status")
    # Banning or suspending follows the rank rule: never someone of the actor's rank or higher. No one outranks an
    # owner, so no one can ban or suspend one: a community always keeps its active owners.
    if "status" in fields and fields["status"] != member.status and not can_act_on(actor, member):
        raise ServiceError(
            "You may not change the status of someone of your rank or higher.",
            code="permission_denied",
            field="status",
        )
    for key, value in fields.items():
        setattr(member, key, value)
    member.full_clean(exclude=["community", "user"])
    member.save(update_fields=list(fields))
    return member


def _owner_count(community: Community) -> int:
    return Member.objects.for_community(community).filter(role=Role.OWNER, status=MemberStatus.ACTIVE).count()
