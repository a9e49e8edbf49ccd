"""A new alert told to people: an email to the staff who opted in, a post to the community's incoming webhook.

Each is claimed with a conditional UPDATE of the alert inside the task's transaction, so a retried or re-delivered
task sends once, while a send that fails rolls its claim back and the retry sends it."""

import httpx
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.outbound import OutboundRefused, guarded_client
from community.policy import RANK, Actor, action_rule, can
from insights.models import Alert, AlertSubscription, CrisisSettings

WEBHOOK_TIMEOUT = httpx.Timeout(5.0, connect=3.0)


def alert_link(community: Community, alert: Alert) -> str:
    path = reverse("community:insights:alert", args=[community.slug, alert.pk])
    return f"{settings.HEARTH_BASE_URL.rstrip('/')}{path}"


def _claim(community: Community, alert_id: int, column: str) -> Alert | None:
    claimed = Alert.objects.for_community(community).filter(pk=alert_id, **{f"{column}__isnull": True})
    if not claimed.update(**{column: timezone.now()}):
        return None
    return Alert.objects.for_community(community).get(pk=alert_id)


def alert_email_send(*, community: Community, alert_id: int) -> int:
    """Email the alert to every subscriber who may still read the insights; returns emails sent."""
    alert = _claim(community, alert_id, "emailed_at")
    if alert is None:
        return 0
    staff_roles = [role for role, rank in RANK.items() if rank >= action_rule("insights.view")[0]]
    subscribers = AlertSubscription.objects.for_community(community).values("member_id")
    members = list(
        Member.objects.for_community(community)
        .filter(pk__in=subscribers, status=MemberStatus.ACTIVE, role__in=staff_roles)
        .exclude(email="")
    )
    if not members:
        return 0
    subject = " ".join(f"[{community.name}] Crisis watch: {alert.summary}".split())[:200]
    body = f"{alert.summary}\n\nOpen the alert: {alert_link(community, alert)}\n"
    get_connection().send_messages([EmailMessage(subject=subject, body=body, to=[m.email]) for m in members])
    return len(members)


def _payload(url: str, text: str) -> dict:
    # Discord's incoming webhooks read "content", Slack's "text".
    host = httpx.URL(url).host
    return {"content": text} if host.endswith(("discord.com", "discordapp.com")) else {"text": text}


def alert_webhook_post(*, community: Community, alert_id: int) -> bool:
    """Post the alert to the community's webhook through the guarded client; False when none is set or sent."""
    settings_row = CrisisSettings.objects.for_community(community).first()
    if settings_row is None or not settings_row.webhook_url:
        return False
    alert = _claim(community, alert_id, "posted_at")
    if alert is None:
        return False
    text = f"{alert.summary} {alert_link(community, alert)}"
    try:
        with guarded_client(timeout=WEBHOOK_TIMEOUT, follow_redirects=False) as client:
            response = client.post(settings_row.webhook_url, json=_payload(settings_row.webhook_url, text))
    except OutboundRefused:
        return False  # the address is not allowed: retrying will not change that
    response.raise_for_status()  # a 5xx or 429 retries (the claim rolls back with the task's transaction)
    return True


def alert_subscribe(*, community: Community, actor: Actor, subscribe: bool) -> bool:
    """Opt the actor's own member in or out of alert emails (staff who read the insights only)."""
    if actor.member is None or not can(actor, "insights.view"):
        raise ServiceError("Only staff who read the insights get alert emails.", code="permission_denied")
    if subscribe:
        AlertSubscription.objects.get_or_create(community=community, member_id=actor.member.pk)
    else:
        AlertSubscription.objects.for_community(community).filter(member_id=actor.member.pk).delete()
    return subscribe
