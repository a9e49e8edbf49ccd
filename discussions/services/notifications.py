"""In-app notifications, email notifications that respect preferences, digests and signed unsubscribe links."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.policy import Actor
from community.task_queue import enqueue_on_commit

from .. import permissions
from ..models import (
    Digest,
    Level,
    Notification,
    NotificationKind,
    NotificationPreference,
    Reply,
    Space,
    SpaceVisibility,
    Subscription,
    Topic,
    TopicStatus,
)
from .common import require

UNSUBSCRIBE_SALT = "discussions.unsubscribe"
# Priority when one event reaches a member for several reasons: they get the strongest one only.
PRIORITY = [
    NotificationKind.MENTION,
    NotificationKind.QUOTE,
    NotificationKind.ACCEPTED,
    NotificationKind.REPLY,
    NotificationKind.REACTION,
    NotificationKind.WATCHED,
    NotificationKind.STATUS,
]
EMAIL_PREF = {
    NotificationKind.MENTION: "email_mentions",
    NotificationKind.QUOTE: "email_mentions",
    NotificationKind.REPLY: "email_replies",
    NotificationKind.ACCEPTED: "email_replies",
    NotificationKind.WATCHED: "email_replies",
    NotificationKind.STATUS: "email_replies",
}


def notify(
    *, community: Community, actor_member: Member | None, topic: Topic, reply: Reply | None, reasons: dict[int, str]
) -> list[Notification]:
    """Create one notification per recipient (member id -> kind), skipping the actor and muted topics."""
    if actor_member is not None:
        reasons.pop(actor_member.pk, None)
    # A mention or a watch must not carry a private group's title to someone outside it.
    readers = permissions.readers_among(topic.space, list(reasons)) if reasons else set()
    reasons = {member_id: kind for member_id, kind in reasons.items() if member_id in readers}
    if not reasons:
        return []
    muted = set(
        Subscription.objects.for_community(community)
        .filter(Q(topic=topic) | Q(space_id=topic.space_id), member_id__in=list(reasons), level=Level.MUTED)
        .values_list("member_id", flat=True)
    )
    rows = [
        Notification(
            community=community, recipient_id=member_id, actor=actor_member, kind=kind, topic=topic, reply=reply
        )
        for member_id, kind in reasons.items()
        if member_id not in muted or kind == NotificationKind.MENTION
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.kind in EMAIL_PREF]
    if ids:
        enqueue_on_commit("discussions.send_notification_emails", community.pk, ids)
    return created


def add_reason(reasons: dict[int, str], member_id: int | None, kind: str) -> None:
    if member_id is None:
        return
    current = reasons.get(member_id)
    if current is None or PRIORITY.index(kind) < PRIORITY.index(current):
        reasons[member_id] = kind


def watchers(*, community: Community, topic: Topic) -> list[int]:
    return list(
        Subscription.objects.for_community(community)
        .filter(Q(topic=topic) | Q(space_id=topic.space_id), level=Level.WATCHING)
        .values_list("member_id", flat=True)
    )


def unread_count(*, community: Community, member: Member | None) -> int:
    if member is None:
        return 0
    return visible_notifications(community=community).filter(recipient=member, read_at__isnull=True).count()


def visible_notifications(*, community: Community):
    """Notifications whose topic the recipient may still read: live, and in a space they can read today."""
    return (
        Notification.objects.for_community(community)
        .filter(topic__status=TopicStatus.PUBLISHED, topic__deleted_at__isnull=True)
        .filter(permissions.recipient_reads_q())
    )


def notification_mark_read(*, community: Community, actor: Actor, ids: list[int] | None = None) -> int:
    require(actor.is_member, "Only members have notifications.", code="permission_denied")
    qs = Notification.objects.for_community(community).filter(recipient=actor.member, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def preference_get(*, community: Community, member: Member) -> NotificationPreference:
    pref = NotificationPreference.objects.for_community(community).filter(member=member).first()
    return pref or NotificationPreference(community=community, member=member)


def preference_update(*, community: Community, actor: Actor, **fields) -> NotificationPreference:
    require(actor.is_member, "Only members have preferences.", code="permission_denied")
    allowed = {"email_replies", "email_mentions", "auto_watch", "digest"}
    require(set(fields) <= allowed, "Unknown preference.")
    if "digest" in fields:
        require(fields["digest"] in Digest.values, "Choose never, daily or weekly.", field="digest")
    pref, _ = NotificationPreference.objects.for_community(community).update_or_create(
        community=community, member=actor.member, defaults=fields
    )
    return pref


# --- Signed one-click unsubscribe.


def unsubscribe_token(member: Member, what: str = "all") -> str:
    return signing.dumps({"c": member.community_id, "m": member.pk, "w": what}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(community: Community, member: Member, what: str = "all") -> str:
    path = reverse(
        "community:discussions:unsubscribe",
        kwargs={"community_slug": community.slug, "token": unsubscribe_token(member, what)},
    )
    return f"{getattr(settings, 'HEARTH_BASE_URL', '')}{path}"


def unsubscribe_member(*, community: Community, token: str) -> Member:
    """The member a signed unsubscribe token names, if it is valid for this community."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=timedelta(days=90))
    except signing.BadSignature:
        raise ServiceError("This unsubscribe link is not valid.", code="not_found") from None
    member = None
    if data.get("c") == community.pk:
        member = Member.objects.for_community(community).filter(pk=data.get("m")).first()
    require(member is not None, "This unsubscribe link is not valid.", code="not_found")
    member.unsubscribe_what = data.get("w", "all")
    return member


def unsubscribe(*, community: Community, token: str) -> NotificationPreference:
    member = unsubscribe_member(community=community, token=token)
    fields = {"digest": Digest.NEVER}
    if member.unsubscribe_what == "all":
        fields.update(email_replies=False, email_mentions=False)
    pref, _ = NotificationPreference.objects.for_community(community).update_or_create(
        community=community, member=member, defaults=fields
    )
    return pref


# --- Email.


def _email(community: Community, member: Member, subject: str, template: str, context: dict) -> EmailMessage:
    link = unsubscribe_url(community, member, context.get("unsubscribe_what", "all"))
    body = render_to_string(template, {**context, "community": community, "member": member, "unsubscribe": link})
    return EmailMessage(
        subject=" ".join(subject.split()),  # a header is one line, whatever a community or topic name holds
        body=body,
        to=[member.email],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def notification_emails_send(*, community: Community, notification_ids: list[int]) -> int:
    """Email the given notifications whose recipients want them; each is emailed at most once."""
    notifications = list(
        visible_notifications(community=community)
        .filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient", "actor", "topic", "reply")
    )
    member_ids = {n.recipient_id for n in notifications}
    prefs = {
        p.member_id: p for p in NotificationPreference.objects.for_community(community).filter(member_id__in=member_ids)
    }
    messages, sent_ids = [], []
    for n in notifications:
        pref = prefs.get(n.recipient_id) or NotificationPreference()
        field = EMAIL_PREF.get(n.kind)
        if field is None or not getattr(pref, field) or not n.recipient.email:
            continue
        if n.recipient.status != MemberStatus.ACTIVE:
            continue
        who = n.actor.display_name if n.actor else "Someone"
        subject = f"[{community.name}] {who} {n.get_kind_display()}: {n.topic.title}"
        messages.append(_email(community, n.recipient, subject, "discussions/email/notification.txt", {"n": n}))
        sent_ids.append(n.pk)
    if messages:
        get_connection().send_messages(messages)
        Notification.objects.for_community(community).filter(pk__in=sent_ids).update(emailed_at=timezone.now())
    return len(messages)


def digest_send(*, community: Community, frequency: str, now=None) -> int:
    """Send the daily or weekly digest of new topics in public and members spaces to members who chose it."""
    now = now or timezone.now()
    period = timedelta(days=1 if frequency == Digest.DAILY else 7)
    prefs = list(
        NotificationPreference.objects.for_community(community)
        .filter(digest=frequency, member__status=MemberStatus.ACTIVE)
        .exclude(member__email="")
        .filter(Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - period + timedelta(hours=1)))
        .select_related("member")
    )
    if not prefs:
        return 0
    spaces = Space.objects.for_community(community).filter(
        visibility__in=[SpaceVisibility.PUBLIC, SpaceVisibility.MEMBERS]
    )
    topics = list(
        Topic.objects.for_community(community)
        .filter(status=TopicStatus.PUBLISHED, deleted_at__isnull=True, merged_into__isnull=True, space__in=spaces)
        .filter(created_at__gte=now - period)
        .select_related("space", "author")
        .order_by("-reply_count", "-created_at")[:20]
    )
    if not topics:
        return 0
    messages = [
        _email(
            community,
            pref.member,
            f"[{community.name}] Your {frequency} digest",
            "discussions/email/digest.txt",
            {"topics": topics, "frequency": frequency, "unsubscribe_what": "digest"},
        )
        for pref in prefs
    ]
    get_connection().send_messages(messages)
    NotificationPreference.objects.for_community(community).filter(pk__in=[p.pk for p in prefs]).update(
        last_digest_at=now
    )
    return len(messages)
