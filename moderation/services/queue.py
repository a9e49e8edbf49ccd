"""The review queue: opening an item (the scorer's and the flags' entry point), claiming it, and deciding on it.

A decision is one conditional UPDATE of the item (still open, and unclaimed, claimed by the actor or with an
expired claim): exactly one of two moderators acting at once wins; the loser's transaction changes nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.policy import Actor, can

from ..models import Flag, FlagOutcome, ItemStatus, QueueItem, SubjectKind
from . import subjects
from .log import log_record

CLAIM_MINUTES = 15
SOURCES = ("scorer", "flag", "appeal", "watched_word", "trust", "signup")
# What each decision does: (new item status or None to stay open, flags' outcome, content: hide/show/remove/None).
DECISIONS = {
    "approve": (ItemStatus.APPROVED, FlagOutcome.DISAGREED, "show"),
    "edit": (ItemStatus.APPROVED, FlagOutcome.DISAGREED, "edit"),  # edit and approve: a forum post made acceptable
    "reject": (ItemStatus.REJECTED, FlagOutcome.AGREED, "remove"),
    "hide": (ItemStatus.HIDDEN, FlagOutcome.AGREED, "hide"),
    "agree": (ItemStatus.HIDDEN, FlagOutcome.AGREED, "hide"),
    "disagree": (ItemStatus.APPROVED, FlagOutcome.DISAGREED, "show"),
    "ignore": (ItemStatus.IGNORED, FlagOutcome.IGNORED, None),
    "lock": (None, None, "lock"),
}
ACTIONS = tuple(DECISIONS)
SIGNUP_ACTIONS = ("approve", "reject")  # let the person in, or turn the request down


def score_priority(spam: float | None, toxicity: float | None) -> float:
    """A sure machine verdict weighs like ten flags from accurate reporters."""
    return 10.0 * max(spam or 0.0, toxicity or 0.0)


def _clean_score(name: str, value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{name}: a number from 0 to 1.", field=name) from None
    if not 0.0 <= value <= 1.0:
        raise ServiceError(f"{name}: a number from 0 to 1.", field=name)
    return value


def queue_item_open(
    *,
    community: Community,
    subject_kind: str,
    subject_id: int,
    reasons: list[str] | tuple[str, ...] = (),
    spam: float | None = None,
    toxicity: float | None = None,
    source: str = "scorer",
    label: str | None = None,
    hidden: bool = False,
) -> QueueItem:
    """Open (or add to) the one open item of a subject: idempotent per subject; reasons are merged, scores kept
    at their latest value. `label` names the automatic source in the log (a scorer "hearth-spam@2"). `hidden`: the
    content was stored hidden for this review (a held post), so approving it shows it."""
    if subject_kind not in SubjectKind.values:
        raise ServiceError(f"Unknown subject kind {subject_kind!r}.", field="subject_kind")
    if source not in SOURCES:
        raise ServiceError(f"Unknown source {source!r}.", field="source")
    spam, toxicity = _clean_score("spam", spam), _clean_score("toxicity", toxicity)
    reasons = [str(r)[:80] for r in reasons]
    snap = subjects.snapshot(community=community, subject_kind=subject_kind, subject_id=subject_id)
    with transaction.atomic():
        # ON CONFLICT DO NOTHING on the partial unique index: concurrent openers converge on one row.
        QueueItem.objects.bulk_create(
            [
                QueueItem(
                    community=community,
                    subject_kind=subject_kind,
                    subject_id=subject_id,
                    source=source,
                    author_id=snap.author_id,
                    title=snap.title[:200],
                    excerpt=snap.excerpt,
                    url=snap.url[:500],
                )
            ],
            ignore_conflicts=True,
        )
        item = (
            QueueItem.objects.for_community(community)
            .select_for_update()
            .get(subject_kind=subject_kind, subject_id=subject_id, status=ItemStatus.OPEN)
        )
        changed = False
        if hidden and not item.content_hidden:
            item.content_hidden, changed = True, True
        merged = list(dict.fromkeys([*item.reasons, *reasons]))
        if merged != item.reasons:
            item.reasons, changed = merged, True
        if spam is not None or toxicity is not None:
            old = score_priority(item.spam, item.toxicity)
            item.spam = spam if spam is not None else item.spam
            item.toxicity = toxicity if toxicity is not None else item.toxicity
            item.priority = item.priority - old + score_priority(item.spam, item.toxicity)
            changed = True
        if changed:
            item.save(update_fields=["reasons", "spam", "toxicity", "priority", "content_hidden"])
            log_record(
                community=community,
                actor=None,
                label=label or source,
                action="queue.open",
                subject_kind=subject_kind,
                subject_id=subject_id,
                target_member_id=snap.author_id,
                reason=", ".join(reasons),
                after={"spam": item.spam, "toxicity": item.toxicity, "reasons": item.reasons},
            )
    return item


def claim_free_q(actor: Actor, now) -> Q:
    """Items this actor may act on: unclaimed, claimed by them, or with an expired claim."""
    free = Q(claimed_by__isnull=True) | Q(claimed_until__lt=now)
    if actor.member is not None and actor.api_key is None:
        free |= Q(claimed_by=actor.member)
    return free


def _require(actor: Actor, action: str) -> None:
    if not can(actor, action):
        raise ServiceError("Your role or key scopes do not allow this.", code="permission_denied")


def queue_item_claim(*, community: Community, actor: Actor, item: QueueItem) -> QueueItem:
    """Take an item for CLAIM_MINUTES; refused (conflict) while another moderator holds it."""
    _require(actor, "moderation.act")
    if actor.member is None or actor.api_key is not None:
        raise ServiceError("Only a person claims an item.", code="permission_denied")
    now = timezone.now()
    until = now + timedelta(minutes=CLAIM_MINUTES)
    won = (
        QueueItem.objects.for_community(community)
        .filter(pk=item.pk, status=ItemStatus.OPEN)
        .filter(claim_free_q(actor, now))
        .update(claimed_by=actor.member, claimed_until=until)
    )
    if not won:
        raise ServiceError("Someone else is reviewing this item, or it was decided.", code="conflict")
    item.claimed_by, item.claimed_until = actor.member, until
    return item


def queue_item_release(*, community: Community, actor: Actor, item: QueueItem) -> QueueItem:
    _require(actor, "moderation.act")
    if actor.member is not None:
        QueueItem.objects.for_community(community).filter(pk=item.pk, claimed_by=actor.member).update(
            claimed_by=None, claimed_until=None
        )
    item.claimed_by, item.claimed_until = None, None
    return item


def queue_item_act(
    *,
    community: Community,
    actor: Actor,
    item: QueueItem,
    action: str,
    reason: str = "",
    body: str | None = None,
    title: str | None = None,
) -> QueueItem:
    """Decide on an item: approve, edit (with `body`, and `title` for a topic) and approve, reject (remove), hide,
    agree / disagree / ignore the flags, or lock the topic."""
    _require(actor, "moderation.act")
    if action not in DECISIONS:
        raise ServiceError(f"Unknown action {action!r}; one of {', '.join(ACTIONS)}.", field="action")
    if action == "edit" and not (body or "").strip():
        raise ServiceError("Edit and approve needs the corrected text.", field="body")
    if item.subject_kind == SubjectKind.APPEAL:
        raise ServiceError("Decide an appeal with grant or deny.", code="conflict", field="action")
    if item.subject_kind == SubjectKind.SIGNUP and action not in SIGNUP_ACTIONS:
        raise ServiceError("Decide a request to join with approve or reject.", code="conflict", field="action")
    status, outcome, content = DECISIONS[action]
    item.refresh_from_db()  # the caller's copy may predate a hide by flags
    now = timezone.now()
    member = actor.member if actor.api_key is None else None
    before = {"status": item.status, "content_hidden": item.content_hidden}
    edited = {}
    with transaction.atomic():
        if status is None:
            # Locking leaves the item open for a decision, but only its holder (or nobody) may lock.
            won = QueueItem.objects.for_community(community).filter(pk=item.pk, status=ItemStatus.OPEN)
            won = won.filter(claim_free_q(actor, now)).update(
                claimed_by=member, claimed_until=now + timedelta(minutes=CLAIM_MINUTES)
            )
        else:
            hidden = {"hide": True, "remove": True, "show": False, "edit": False}.get(content, item.content_hidden)
            won = (
                QueueItem.objects.for_community(community)
                .filter(pk=item.pk, status=ItemStatus.OPEN)
                .filter(claim_free_q(actor, now))
                .update(
                    status=status, resolved_at=now, resolved_by=member, claimed_by=None, claimed_until=None,
                    content_hidden=hidden,
                )
            )  # fmt: skip
        if not won:
            raise ServiceError("Someone else is reviewing this item, or it was decided.", code="conflict")
        kind, sid = item.subject_kind, item.subject_id
        if kind == SubjectKind.SIGNUP:
            subjects.signup_decide(community=community, actor=actor, member_id=sid, approve=action == "approve")
        elif content == "remove":
            subjects.content_remove(community=community, actor=actor, subject_kind=kind, subject_id=sid)
        elif content == "hide":
            subjects.content_show(community=community, subject_kind=kind, subject_id=sid, visible=False)
        elif content == "edit":
            edited = subjects.content_edit(
                community=community, actor=actor, subject_kind=kind, subject_id=sid, body=body, title=title
            )
        elif content == "show" and item.content_hidden:
            subjects.content_show(community=community, subject_kind=kind, subject_id=sid, visible=True)
        elif content == "lock":
            subjects.topic_lock(community=community, actor=actor, subject_kind=kind, subject_id=sid)
        if outcome is not None:
            Flag.objects.for_community(community).filter(item=item, outcome=FlagOutcome.PENDING).update(outcome=outcome)
        item.refresh_from_db()
        log_record(
            community=community,
            actor=actor,
            action=f"queue.{action}",
            subject_kind=kind,
            subject_id=sid,
            target_member_id=item.author_id,
            reason=reason,
            before={**before, **edited.get("before", {})},
            after={"status": item.status, "content_hidden": item.content_hidden, **edited.get("after", {})},
        )
    return item


def queue_items_bulk_act(
    *, community: Community, actor: Actor, item_ids: list[int], action: str, reason: str = ""
) -> dict[str, list[int]]:
    """The same decision on many items; items someone else holds (or already decided) are skipped, not failed."""
    _require(actor, "moderation.act")
    if action == "edit":
        raise ServiceError("Edit items one at a time.", field="action")
    if action not in DECISIONS:
        raise ServiceError(f"Unknown action {action!r}; one of {', '.join(ACTIONS)}.", field="action")
    items = QueueItem.objects.for_community(community).filter(pk__in=list(item_ids)[:200])
    done, skipped = [], []
    for item in items:
        try:
            with transaction.atomic():
                queue_item_act(community=community, actor=actor, item=item, action=action, reason=reason)
        except ServiceError:
            skipped.append(item.pk)
        else:
            done.append(item.pk)
    return {"done": sorted(done), "skipped": sorted(skipped)}


def queue_item_add_flag(*, community: Community, item: QueueItem, weight: float) -> None:
    QueueItem.objects.for_community(community).filter(pk=item.pk).update(
        flag_count=F("flag_count") + 1, priority=F("priority") + weight
    )


def signup_queue(*, community: Community, member_id: int) -> QueueItem | None:
    """Put a request to join in the queue (the core announces it); nothing when it was decided meanwhile."""
    if not Member.objects.for_community(community).filter(pk=member_id, status=MemberStatus.PENDING).exists():
        return None
    return queue_item_open(
        community=community, subject_kind=SubjectKind.SIGNUP, subject_id=member_id,
        reasons=["asked to join a private community"], source="signup",
    )  # fmt: skip
