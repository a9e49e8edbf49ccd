"""Reads of the crisis watch: alerts (filtered as the API and the crisis page ask), one alert checked, its history,
rules. Kept beside insights/selectors.py, which holds the dashboard's reads."""

from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from community.errors import ServiceError
from community.models import Activity, Community, Member, MemberStatus
from community.policy import RANK, action_rule
from insights.models import Alert, AlertEvent, AlertRule, AlertStatus, RuleKind


def alert_list(
    *, community: Community, status: str | None = None, kind: str | None = None, channel: str | None = None,
    since: datetime | None = None,
) -> QuerySet[Alert]:  # fmt: skip
    """Alerts, newest raised first; `channel=""` is the whole-community alerts."""
    alerts = Alert.objects.for_community(community)
    if status:
        if status not in AlertStatus.values:
            raise ServiceError(f"status: one of {', '.join(AlertStatus.values)}.", field="status")
        alerts = alerts.filter(status=status)
    if kind:
        if kind not in RuleKind.values:
            raise ServiceError(f"kind: one of {', '.join(RuleKind.values)}.", field="kind")
        alerts = alerts.filter(kind=kind)
    if channel is not None:
        alerts = alerts.filter(channel=channel)
    if since is not None:
        alerts = alerts.filter(updated_at__gte=since)
    return alerts


def alerts_unresolved(*, community: Community, limit: int = 20) -> list[Alert]:
    """What the crisis page and the insights dashboard show first: open, then acknowledged, newest first."""
    order = Case(When(status=AlertStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(
        Alert.objects.for_community(community)
        .exclude(status=AlertStatus.RESOLVED)
        .order_by(order, "-raised_at")[:limit]
    )


def access_alert(*, community: Community, alert_id) -> Alert:
    return get_object_or_404(Alert.objects.for_community(community), pk=alert_id)


def alert_events(*, community: Community, alert: Alert) -> list[AlertEvent]:
    return list(AlertEvent.objects.for_community(community).filter(alert=alert).order_by("created_at", "pk"))


def alert_activities(*, community: Community, alert: Alert, limit: int = 20) -> list[Activity]:
    """The activities behind the alert, in the alert's order (most negative, most engaged first)."""
    ids = alert.activity_ids[:limit]
    by_id = Activity.objects.for_community(community).filter(pk__in=ids).select_related("member").in_bulk()
    return [by_id[i] for i in ids if i in by_id]


def alert_staff(*, community: Community) -> list[Member]:
    """Who an alert can be assigned to: active members whose role reads the insights."""
    staff_roles = [role for role, rank in RANK.items() if rank >= action_rule("insights.view")[0]]
    members = Member.objects.for_community(community).filter(status=MemberStatus.ACTIVE, role__in=staff_roles)
    return list(members.order_by("display_name", "pk")[:200])


def members_by_id(*, community: Community, ids) -> dict[int, Member]:
    ids = {i for i in ids if i}
    return Member.objects.for_community(community).filter(pk__in=ids).in_bulk() if ids else {}


def alert_rule_list(*, community: Community) -> QuerySet[AlertRule]:
    return AlertRule.objects.for_community(community).order_by("pk")


def access_alert_rule(*, community: Community, rule_id) -> AlertRule:
    return get_object_or_404(AlertRule.objects.for_community(community), pk=rule_id)
