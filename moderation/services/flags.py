"""Members' flags on forum posts: one per member per post, weighted by the reporter's accuracy, hiding the post
once enough trusted members agree (community setting `moderation.flags_to_hide`, default 3)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community
from community.policy import SILENCED_TAG, Actor, can
from discussions.selectors import access_reply, access_topic

from ..models import Flag, FlagOutcome, FlagReason, QueueItem, SubjectKind
from . import subjects
from .log import log_record
from .queue import queue_item_add_flag, queue_item_open

DEFAULT_FLAGS_TO_HIDE = 3
# A reporter is trusted once a member this long (staff always are) and not wrong more often than right.
TRUSTED_MIN_DAYS = 7
STAFF_WEIGHT = 2.0


def flags_to_hide(community: Community) -> int:
    value = (community.settings or {}).get("moderation", {}).get("flags_to_hide", DEFAULT_FLAGS_TO_HIDE)
    return max(1, int(value))


def reporter_accuracy(*, community: Community, member_id: int) -> float:
    """Laplace-smoothed share of the reporter's decided flags that moderators agreed with (0.5 with no history)."""
    counts = (
        Flag.objects.for_community(community)
        .filter(reporter_id=member_id)
        .aggregate(
            agreed=Count("pk", filter=Q(outcome=FlagOutcome.AGREED)),
            disagreed=Count("pk", filter=Q(outcome=FlagOutcome.DISAGREED)),
        )
    )
    return (counts["agreed"] + 1) / (counts["agreed"] + counts["disagreed"] + 2)


def _check_subject(community: Community, actor: Actor, subject_kind: str, subject_id: int) -> None:
    """The reporter must be able to read what they flag; someone else's only."""
    try:
        if subject_kind == SubjectKind.TOPIC:
            post = access_topic(community=community, actor=actor, topic_id=subject_id)
        elif subject_kind == SubjectKind.REPLY:
            post = access_reply(community=community, actor=actor, reply_id=subject_id)
            if post.is_deleted:
                raise Http404
        else:
            raise ServiceError("Flag a topic or a reply.", field="subject_kind")
    except Http404:
        raise ServiceError("No such post.", code="not_found", field="subject_id") from None
    if post.author_id == actor.member.pk:
        raise ServiceError("You cannot flag your own post.", code="conflict")


def flag_create(
    *, community: Community, actor: Actor, subject_kind: str, subject_id: int, reason: str, note: str = ""
) -> Flag:
    if not actor.is_member or actor.api_key is not None or not can(actor, "moderation.flag"):
        raise ServiceError("Only members flag posts.", code="permission_denied")
    if reason not in FlagReason.values:
        raise ServiceError(f"Choose a reason: {', '.join(FlagReason.values)}.", field="reason")
    note = (note or "").strip()
    if len(note) > 1000:
        raise ServiceError("Keep the note under 1000 characters.", field="note")
    _check_subject(community, actor, subject_kind, subject_id)
    member = actor.member
    accuracy = reporter_accuracy(community=community, member_id=member.pk)
    staff = actor.is_staff
    trusted = staff or (
        member.joined_at <= timezone.now() - timedelta(days=TRUSTED_MIN_DAYS)
        and accuracy >= 0.5
        and SILENCED_TAG not in (member.tags or [])
    )
    weight = STAFF_WEIGHT if staff else accuracy
    with transaction.atomic():
        item = queue_item_open(
            community=community, subject_kind=subject_kind, subject_id=subject_id, reasons=[f"flag:{reason}"],
            source="flag",
        )  # fmt: skip
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    community=community, subject_kind=subject_kind, subject_id=subject_id, reporter=member,
                    reason=reason, note=note, item=item, weight=weight, trusted=trusted,
                )  # fmt: skip
        except IntegrityError:
            raise ServiceError("You already flagged this post.", code="conflict") from None
        queue_item_add_flag(community=community, item=item, weight=weight)
        log_record(
            community=community, actor=actor, action="flag.create", subject_kind=subject_kind, subject_id=subject_id,
            target_member_id=item.author_id, reason=f"{reason}: {note}" if note else reason,
        )  # fmt: skip
        _hide_if_enough(community, item)
    return flag


def _hide_if_enough(community: Community, item: QueueItem) -> None:
    trusted = Flag.objects.for_community(community).filter(item=item, trusted=True).count()
    if trusted < flags_to_hide(community):
        return
    # Conditional: of two last flags arriving together, one hides.
    if (
        not QueueItem.objects.for_community(community)
        .filter(pk=item.pk, content_hidden=False)
        .update(content_hidden=True)
    ):
        return
    subjects.content_show(
        community=community, subject_kind=item.subject_kind, subject_id=item.subject_id, visible=False
    )
    log_record(
        community=community, actor=None, label="flags", action="content.hide_by_flags",
        subject_kind=item.subject_kind, subject_id=item.subject_id, target_member_id=item.author_id,
        reason=f"{trusted} flags from trusted members", before={"visible": True}, after={"visible": False},
    )  # fmt: skip
