"""Staff work on an alert: acknowledge, assign, comment, resolve, reopen; every change recorded with who and when."""

from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.policy import RANK, Actor, action_rule
from insights.models import Alert, AlertEvent, AlertEventKind, AlertStatus

MAX_COMMENT = 5000


def _record(community, alert, actor, kind, *, text="", assignee=None) -> None:
    AlertEvent.objects.create(
        community=community, alert=alert, kind=kind, member_id=actor.member.pk if actor.member else None,
        assignee_member_id=assignee, text=text, created_at=timezone.now(),
    )  # fmt: skip


def _save(alert: Alert, *fields: str) -> Alert:
    alert.updated_at = timezone.now()
    alert.save(update_fields=[*fields, "updated_at"])
    return alert


def alert_acknowledge(*, community: Community, actor: Actor, alert: Alert) -> Alert:
    if alert.status == AlertStatus.RESOLVED:
        raise ServiceError("This alert is resolved; reopen it first.", code="conflict")
    if alert.status == AlertStatus.ACKNOWLEDGED:
        return alert  # idempotent: a second click records nothing
    alert.status = AlertStatus.ACKNOWLEDGED
    _record(community, alert, actor, AlertEventKind.ACKNOWLEDGED)
    return _save(alert, "status")


def alert_resolve(*, community: Community, actor: Actor, alert: Alert, note: str = "") -> Alert:
    if alert.status == AlertStatus.RESOLVED:
        return alert
    alert.status, alert.resolved_at = AlertStatus.RESOLVED, timezone.now()
    _record(community, alert, actor, AlertEventKind.RESOLVED, text=note[:MAX_COMMENT])
    return _save(alert, "status", "resolved_at")


def alert_reopen(*, community: Community, actor: Actor, alert: Alert) -> Alert:
    if alert.status != AlertStatus.RESOLVED:
        return alert
    if Alert.objects.for_community(community).filter(scope_key=alert.scope_key).exclude(status="resolved").exists():
        raise ServiceError("A newer alert about the same thing is open.", code="conflict")
    alert.status, alert.resolved_at = AlertStatus.OPEN, None
    _record(community, alert, actor, AlertEventKind.REOPENED)
    return _save(alert, "status", "resolved_at")


def alert_assign(*, community: Community, actor: Actor, alert: Alert, member_id: int | None) -> Alert:
    """Give the alert to a staff member who reads the insights (None: nobody)."""
    if member_id is not None:
        staff_roles = [role for role, rank in RANK.items() if rank >= action_rule("insights.view")[0]]
        staff = Member.objects.for_community(community).filter(
            pk=member_id, status=MemberStatus.ACTIVE, role__in=staff_roles
        )
        if not staff.exists():
            raise ServiceError("Alerts go to staff members of this community.", field="member_id")
    if alert.assignee_member_id == member_id:
        return alert
    alert.assignee_member_id = member_id
    _record(community, alert, actor, AlertEventKind.ASSIGNED, assignee=member_id)
    return _save(alert, "assignee_member_id")


def alert_comment(*, community: Community, actor: Actor, alert: Alert, text: str) -> AlertEvent:
    text = (text or "").strip()
    if not text:
        raise ServiceError("Write a comment.", field="text")
    if len(text) > MAX_COMMENT:
        raise ServiceError(f"At most {MAX_COMMENT} characters.", field="text")
    _record(community, alert, actor, AlertEventKind.COMMENTED, text=text)
    _save(alert)
    return alert.events.order_by("-pk").first()
