"""Sanctions (warn, silence, suspend, ban) and their lifting, by hand or at their end (the beat), and appeals.

Effects live on the member row the request already loads, so enforcement costs no query: a suspension or a ban
sets the member's status (community's SUSPENDED / BANNED: every policy check then sees a visitor), a silence adds
policy.SILENCED_TAG (the registry's silenced actions, posting, are refused). A role never acts on a member who
outranks it, nor on an equal (policy.can_act_on).
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Func, Value
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.policy import SILENCED_TAG, Actor, can, can_act_on

from ..models import Appeal, AppealStatus, ItemStatus, QueueItem, Sanction, SanctionKind, SubjectKind
from .log import actor_label, log_record
from .queue import claim_free_q, queue_item_open

MAX_DAYS = 3650
STATUS_OF = {SanctionKind.SUSPEND: MemberStatus.SUSPENDED, SanctionKind.BAN: MemberStatus.BANNED}


def _member_state(member: Member) -> dict:
    return {"status": member.status, "silenced": SILENCED_TAG in (member.tags or [])}


def sanction_issue(
    *,
    community: Community,
    actor: Actor,
    member: Member,
    kind: str,
    reason: str,
    days: int | None = None,
    guideline: str = "",
    item: QueueItem | None = None,
) -> Sanction:
    if kind not in SanctionKind.values:
        raise ServiceError(f"Choose a sanction: {', '.join(SanctionKind.values)}.", field="kind")
    if not can(actor, "moderation.ban" if kind == SanctionKind.BAN else "moderation.sanction"):
        raise ServiceError("Your role or key scopes do not allow this sanction.", code="permission_denied")
    if not can_act_on(actor, member):
        raise ServiceError("You cannot sanction someone of your rank or above.", code="permission_denied")
    if member.status not in (MemberStatus.ACTIVE, MemberStatus.SUSPENDED):
        raise ServiceError("Only current members can be sanctioned.", code="conflict")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Tell the member why: the reason is shown to them.", field="reason")
    ends_at = None
    if kind in (SanctionKind.SILENCE, SanctionKind.SUSPEND) and days is None:
        raise ServiceError("A silence or suspension needs a period in days.", field="days")
    if days is not None:
        try:
            days = int(days)
        except (TypeError, ValueError):
            raise ServiceError("days: a whole number of days.", field="days") from None
        if not 1 <= days <= MAX_DAYS:
            raise ServiceError(f"days: from 1 to {MAX_DAYS}.", field="days")
        if kind != SanctionKind.WARN:
            ends_at = timezone.now() + timedelta(days=days)
    before = _member_state(member)
    with transaction.atomic():
        sanction = Sanction.objects.create(
            community=community, member=member, kind=kind, reason=reason, guideline=guideline[:120],
            issued_by=actor.member if actor.api_key is None else None, issued_by_label=actor_label(actor),
            item=item, ends_at=ends_at, previous_status=member.status,
        )  # fmt: skip
        members = Member.objects.for_community(community).filter(pk=member.pk)
        if kind in STATUS_OF:
            members.update(status=STATUS_OF[kind])
        elif kind == SanctionKind.SILENCE and SILENCED_TAG not in (member.tags or []):
            members.update(tags=Func(F("tags"), Value(SILENCED_TAG), function="array_append"))
        member.refresh_from_db(fields=["status", "tags"])
        log_record(
            community=community, actor=actor, action=f"sanction.{kind}", subject_kind="member", subject_id=member.pk,
            target_member_id=member.pk, reason=reason, before=before,
            after={**_member_state(member), "ends_at": ends_at.isoformat() if ends_at else None},
        )  # fmt: skip
    return sanction


def _still_active(community: Community, member: Member, kinds, excluding: int) -> bool:
    return (
        Sanction.objects.for_community(community)
        .filter(member=member, kind__in=kinds, lifted_at__isnull=True)
        .exclude(pk=excluding)
        .exists()
    )


def _lift(community: Community, sanction: Sanction, actor: Actor | None, reason: str) -> Sanction:
    now = timezone.now()
    if (
        not Sanction.objects.for_community(community)
        .filter(pk=sanction.pk, lifted_at__isnull=True)
        .update(lifted_at=now, lifted_reason=reason[:200])
    ):
        return sanction  # lifted meanwhile (the beat and a moderator at once): nothing more to do
    sanction.lifted_at, sanction.lifted_reason = now, reason[:200]
    member = Member.objects.for_community(community).get(pk=sanction.member_id)
    before = _member_state(member)
    members = Member.objects.for_community(community).filter(pk=member.pk)
    if sanction.kind in STATUS_OF:
        # Back to active only if nothing else still keeps the member out (a ban outlives a suspension).
        if member.status == STATUS_OF[sanction.kind] and not _still_active(
            community, member, list(STATUS_OF), sanction.pk
        ):
            members.update(status=MemberStatus.ACTIVE)
    elif sanction.kind == SanctionKind.SILENCE and not _still_active(
        community, member, [SanctionKind.SILENCE], sanction.pk
    ):
        members.update(tags=Func(F("tags"), Value(SILENCED_TAG), function="array_remove"))
    member.refresh_from_db(fields=["status", "tags"])
    log_record(
        community=community, actor=actor, action="sanction.lift", subject_kind="member", subject_id=member.pk,
        target_member_id=member.pk, reason=reason, before=before, after=_member_state(member),
    )  # fmt: skip
    return sanction


def sanction_lift(*, community: Community, actor: Actor, sanction: Sanction, reason: str) -> Sanction:
    action = "moderation.ban" if sanction.kind == SanctionKind.BAN else "moderation.sanction"
    if not can(actor, action):
        raise ServiceError("Your role or key scopes do not allow this.", code="permission_denied")
    if not can_act_on(actor, sanction.member):
        raise ServiceError("You cannot act on someone of your rank or above.", code="permission_denied")
    if not sanction.is_active:
        raise ServiceError("This sanction is not in force.", code="conflict")
    with transaction.atomic():
        return _lift(community, sanction, actor, (reason or "").strip() or "lifted")


def sanctions_expire(*, community: Community, now=None) -> list[int]:
    """Lift every sanction whose period ended (the beat runs it per community); the ids lifted."""
    now = now or timezone.now()
    due = list(
        Sanction.objects.for_community(community)
        .filter(lifted_at__isnull=True, ends_at__isnull=False, ends_at__lte=now)
        .exclude(kind=SanctionKind.WARN)
        .order_by("pk")
    )
    with transaction.atomic():
        for sanction in due:
            _lift(community, sanction, None, "period ended")
    return [s.pk for s in due]


def appeal_create(*, community: Community, member: Member, sanction: Sanction, body: str) -> Appeal:
    """The sanctioned member (active or not: a suspended member must be able to appeal) appeals once."""
    if sanction.member_id != member.pk:
        raise ServiceError("No such sanction.", code="not_found")
    body = (body or "").strip()
    if not body:
        raise ServiceError("Say why the sanction should be lifted.", field="body")
    if len(body) > 4000:
        raise ServiceError("Keep the appeal under 4000 characters.", field="body")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(community=community, sanction=sanction, member=member, body=body)
    except IntegrityError:
        raise ServiceError("You already appealed this sanction.", code="conflict") from None
    queue_item_open(
        community=community, subject_kind=SubjectKind.APPEAL, subject_id=appeal.pk, reasons=["appeal"], source="appeal"
    )
    log_record(
        community=community, actor=None, label=member.display_name, action="appeal.create", subject_kind="appeal",
        subject_id=appeal.pk, target_member_id=member.pk, reason=body[:500],
    )  # fmt: skip
    return appeal


def appeal_decide(*, community: Community, actor: Actor, appeal: Appeal, grant: bool, note: str = "") -> Appeal:
    """Grant (the sanction is lifted) or deny; the note is shown to the member. The queue item closes with it, by
    the same conditional update as every queue decision: one moderator decides."""
    sanction = appeal.sanction
    if not can(actor, "moderation.ban" if sanction.kind == SanctionKind.BAN else "moderation.sanction"):
        raise ServiceError("Your role or key scopes do not allow this.", code="permission_denied")
    if not can_act_on(actor, sanction.member):
        raise ServiceError("You cannot act on someone of your rank or above.", code="permission_denied")
    now = timezone.now()
    member = actor.member if actor.api_key is None else None
    with transaction.atomic():
        # The queue item first, by the queue's conditional update: of two moderators deciding at once, or one
        # deciding while another holds the item, one wins and the other changes nothing.
        items = QueueItem.objects.for_community(community).filter(
            subject_kind=SubjectKind.APPEAL, subject_id=appeal.pk, status=ItemStatus.OPEN
        )
        if items.exists() and not items.filter(claim_free_q(actor, now)).update(
            status=ItemStatus.APPROVED if grant else ItemStatus.REJECTED, resolved_at=now, resolved_by=member,
            claimed_by=None, claimed_until=None,
        ):  # fmt: skip
            raise ServiceError("Someone else is reviewing this appeal.", code="conflict")
        if not Appeal.objects.for_community(community).filter(pk=appeal.pk, status=AppealStatus.OPEN).update(
            status=AppealStatus.GRANTED if grant else AppealStatus.DENIED,
            outcome_note=(note or "").strip(), decided_by=member, decided_at=now,
        ):  # fmt: skip
            raise ServiceError("This appeal was already decided.", code="conflict")
        if grant and sanction.is_active:
            _lift(community, sanction, actor, "appeal granted")
        appeal.refresh_from_db()
        log_record(
            community=community, actor=actor, action="appeal.grant" if grant else "appeal.deny",
            subject_kind="appeal", subject_id=appeal.pk, target_member_id=appeal.member_id, reason=note,
            before={"status": AppealStatus.OPEN}, after={"status": appeal.status},
        )  # fmt: skip
    return appeal
