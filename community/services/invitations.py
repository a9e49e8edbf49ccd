"""Inviting teammates by email with a role: signed, expiring links."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Invitation, Member, MemberStatus, Role
from community.policy import RANK, Actor, can
from community.task_queue import enqueue_on_commit

from .communities import display_name_for

INVITATION_SALT = "hearth.invitation"
INVITATION_DAYS = 7


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "c": invitation.community_id}, salt=INVITATION_SALT)


def invitation_url(invitation: Invitation) -> str:
    """The absolute accept link, on HEARTH_BASE_URL (never the inviting request's Host header)."""
    base_url = settings.HEARTH_BASE_URL
    path = reverse(
        "community:invitation_accept",
        kwargs={"community_slug": invitation.community.slug, "token": invitation_token(invitation)},
    )
    return f"{base_url}{path}"


def invitation_create(*, community: Community, actor: Actor, email: str, role: str) -> Invitation:
    if not can(actor, "invitations.manage"):
        raise ServiceError("You may not invite people.", code="permission_denied")
    if role not in Role.values:
        raise ServiceError(f"Unknown role {role!r}.", field="role")
    if role == Role.OWNER and actor.rank < RANK[Role.OWNER]:
        raise ServiceError("Only an owner can invite another owner.", code="permission_denied", field="role")
    email = email.strip().lower()
    if Member.objects.for_community(community).filter(user__email__iexact=email, status=MemberStatus.ACTIVE).exists():
        raise ServiceError(f"{email} is already a member.", code="conflict", field="email")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                community=community,
                email=email,
                role=role,
                invited_by_id=actor.user_id,
                expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
            )
    except IntegrityError:
        raise ServiceError(f"{email} has an open invitation already.", code="conflict", field="email") from None
    # The mail goes from the worker, with retries: an unreachable mail server once made this request a 500.
    enqueue_on_commit("community.send_invitation", community.pk, invitation.pk)
    return invitation


def invitation_email_send(*, community: Community, invitation_id: int) -> bool:
    """Mail the invitation once (the worker's half of `invitation_create`); False when there is nothing to send.

    The row is locked for the send, so two deliveries of the task cannot both mail; a mail-server error propagates,
    the transaction rolls back and the task retries. Revoked, accepted and expired invitations are not mailed.
    """
    invitation = Invitation.objects.for_community(community).select_for_update().filter(pk=invitation_id).first()
    now = timezone.now()
    if (
        invitation is None
        or invitation.email_sent_at is not None
        or invitation.revoked_at is not None
        or invitation.accepted_at is not None
        or invitation.expires_at <= now
    ):
        return False
    invitation.community = community
    send_mail(
        subject=f"You're invited to {community.name} on Hearth",
        message=f"You have been invited to join {community.name} as {invitation.get_role_display()}.\n\n"
        f"Accept within {INVITATION_DAYS} days: {invitation_url(invitation)}\n",
        from_email=None,
        recipient_list=[invitation.email],
    )
    invitation.email_sent_at = now
    invitation.save(update_fields=["email_sent_at"])
    return True


def invitation_revoke(*, community: Community, actor: Actor, invitation: Invitation) -> Invitation:
    if not can(actor, "invitations.manage"):
        raise ServiceError("You may not manage invitations.", code="permission_denied")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_from_token(*, community: Community, token: str) -> Invitation:
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise ServiceError("This invitation has expired.", code="expired") from None
    except signing.BadSignature:
        raise ServiceError("This invitation link is not valid.", code="not_found") from None
    if data.get("c") != community.pk:
        raise ServiceError("This invitation link is not valid.", code="not_found")
    invitation = Invitation.objects.for_community(community).filter(pk=data.get("i")).first()
    if invitation is None or invitation.revoked_at is not None:
        raise ServiceError("This invitation was withdrawn.", code="invalid")
    if invitation.accepted_at is not None:
        raise ServiceError("This invitation was used already.", code="conflict")
    if invitation.expires_at < timezone.now():
        raise ServiceError("This invitation has expired.", code="expired")
    return invitation


def invitation_accept(*, community: Community, token: str, user) -> Member:
    """Accept as the signed-in user: the invitation's role is granted to them in this community."""
    invitation = invitation_from_token(community=community, token=token)
    if user.email.lower() != invitation.email:
        raise ServiceError(
            f"This invitation is for {invitation.email}; sign in with that address.", code="permission_denied"
        )
    member = Member.objects.for_community(community).filter(user=user).first()
    if member is None:
        member = Member(community=community, user=user, display_name=display_name_for(user), email=user.email)
    member.role = invitation.role
    member.status = MemberStatus.ACTIVE
    member.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return member
