"""The weekly insights email: staff opt in and out; each Monday the week's KPIs, top and most negative threads."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.policy import RANK, Actor, action_rule, can
from insights.metrics import LABELS, value_display
from insights.models import WeeklySummarySubscription
from insights.selectors import Period, dashboard_read

from .rollups import community_timezone

_SUBSCRIPTION = WeeklySummarySubscription._meta.db_table


def weekly_summary_subscribe(*, community: Community, actor: Actor, subscribe: bool) -> bool:
    """Opt the actor's own member in or out; only those who may read the insights (moderators and up)."""
    if actor.member is None or not can(actor, "insights.view"):
        raise ServiceError("Only staff who read the insights get the weekly email.", code="permission_denied")
    rows = WeeklySummarySubscription.objects.for_community(community).filter(member_id=actor.member.pk)
    if subscribe:
        WeeklySummarySubscription.objects.get_or_create(community=community, member_id=actor.member.pk)
    else:
        rows.delete()
    return subscribe


def weekly_summary_subscribed(*, community: Community, member_id: int | None) -> bool:
    if member_id is None:
        return False
    return WeeklySummarySubscription.objects.for_community(community).filter(member_id=member_id).exists()


def last_week(community: Community, now=None) -> tuple[date, date]:
    """The last full Monday-to-Sunday week in the community's local days."""
    today = (now or timezone.now()).astimezone(ZoneInfo(community_timezone(community))).date()
    start = today - timedelta(days=today.weekday() + 7)
    return start, start + timedelta(days=6)


def weekly_summary_send(*, community: Community, now=None) -> int:
    """Email last week's summary to every subscriber who still reads the insights; returns emails sent.

    Each subscriber's week is claimed with one conditional UPDATE, so a re-run (a re-delivered task) sends nothing
    twice; the claim is in the task's transaction, so a failed send is retried whole."""
    start, end = last_week(community, now)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{_SUBSCRIPTION}" SET last_sent_week = %s WHERE community_id = %s '  # noqa: S608
            "AND (last_sent_week IS NULL OR last_sent_week < %s) RETURNING member_id",
            [start, community.pk, start],
        )
        claimed = [row[0] for row in cursor.fetchall()]
    if not claimed:
        return 0
    # Still allowed to read the insights (a demoted subscriber stops getting them).
    staff_roles = [role for role, rank in RANK.items() if rank >= action_rule("insights.view")[0]]
    members = list(
        Member.objects.for_community(community)
        .filter(pk__in=claimed, status=MemberStatus.ACTIVE, role__in=staff_roles)
        .exclude(email="")
    )
    if not members:
        return 0
    data = dashboard_read(community=community, period=Period(start, end))
    path = reverse("community:insights:dashboard", args=[community.slug])
    link = f"{settings.HEARTH_BASE_URL.rstrip('/')}{path}?days=custom&start={start}&end={end}"
    kpis = [{**k, "label": LABELS[k["name"]], "display": value_display(k["name"], k["value"])} for k in data["kpis"]]
    body = render_to_string(
        "insights/email/weekly_summary.txt",
        {"community": community, "data": data, "kpis": kpis, "start": start, "end": end, "link": link},
    )
    subject = " ".join(f"[{community.name}] Insights, week of {start:%-d %b %Y}".split())
    messages = [EmailMessage(subject=subject, body=body, to=[m.email]) for m in members]
    get_connection().send_messages(messages)
    return len(messages)
