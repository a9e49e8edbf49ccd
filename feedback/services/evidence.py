"""Evidence: any activity (a forum post, a Slack message, a GitHub issue) attached to an idea, or made one."""

from django.db import IntegrityError, transaction

from community.models import Activity, Community
from community.page_cache import public_pages_changed
from community.policy import Actor, can

from ..models import Board, Evidence, Follower, Idea
from .common import require, statuses_ensure
from .ideas import idea_post

MAX_NOTE = 500


def evidence_attach(*, community: Community, actor: Actor, idea: Idea, activity: Activity, note: str = "") -> Evidence:
    """Attach once (a second attach returns the first); the activity's member follows the idea from then on."""
    require(can(actor, "feedback.manage"), "Only staff may attach evidence.", code="permission_denied")
    require(activity.community_id == community.pk, "No such activity.", code="not_found", field="activity_id")
    require(
        idea.merged_into_id is None, "This idea was merged: attach to the idea it was merged into.", code="conflict"
    )
    note = (note or "").strip()
    require(len(note) <= MAX_NOTE, f"Keep the note under {MAX_NOTE} characters.", field="note")
    rows = Evidence.objects.for_community(community)
    existing = rows.filter(idea=idea, activity=activity).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            evidence = Evidence.objects.create(
                community=community, idea=idea, activity=activity, note=note,
                added_by=actor.member if actor.is_member else None,
            )  # fmt: skip
            if activity.member_id:
                Follower.objects.bulk_create(
                    [Follower(community=community, idea=idea, member_id=activity.member_id)], ignore_conflicts=True
                )
            public_pages_changed(community.pk)
    except IntegrityError:  # a concurrent attach of the same activity won
        return rows.get(idea=idea, activity=activity)
    return evidence


def idea_from_activity(
    *, community: Community, actor: Actor, board: Board, activity: Activity, title: str = "", body: str = ""
) -> Idea:
    """Turn an activity into a new idea posted by the staff member, with the activity as its first evidence."""
    require(can(actor, "feedback.manage") and actor.is_member, "Only staff members may do this.",
            code="permission_denied")  # fmt: skip
    title = title or activity.title or (activity.body or "").strip().split("\n")[0][:120]
    text = body or activity.body or activity.title
    link = f"\n\nFrom {activity.channel}: {activity.url}" if activity.url else f"\n\n(From {activity.channel}.)"
    with transaction.atomic():
        statuses_ensure(community=community)
        idea = idea_post(community=community, actor=actor, board=board, title=title, body=f"{text}{link}")
        evidence_attach(community=community, actor=actor, idea=idea, activity=activity)
    return idea


def evidence_detach(*, community: Community, actor: Actor, evidence: Evidence) -> None:
    require(can(actor, "feedback.manage"), "Only staff may remove evidence.", code="permission_denied")
    Evidence.objects.for_community(community).filter(pk=evidence.pk).delete()
    public_pages_changed(community.pk)
