"""Posting ideas, following them, the staff response, and the one status change that tells voters and followers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from community.models import Community, Member
from community.page_cache import public_pages_changed
from community.policy import Actor, can
from discussions import markdown
from discussions.models import NotificationKind, Topic
from discussions.services import notifications
from discussions.services.common import actor_member
from discussions.services.topics import topic_create

from ..models import Board, Follower, Idea, IdeaStatus, Vote
from ..permissions import can_read_board
from .common import idea_url, record_activity, require, statuses_ensure

MAX_RESPONSE = 10_000


def idea_post(*, community: Community, actor: Actor, board: Board, title: str, body: str, tags=()) -> Idea:
    """A topic in the board's ideas space (the forum's editor, sanitiser, mentions), its idea, and the activity."""
    require(
        can(actor, "feedback.post") and actor.is_member, "Sign in as a member to post ideas.", code="permission_denied"
    )
    require(can_read_board(actor, board), "No such board.", code="not_found")
    with transaction.atomic():
        status = statuses_ensure(community=community)[0]
        topic = topic_create(community=community, actor=actor, space=board.space, title=title, body=body, tags=tags)
        idea = Idea.objects.create(community=community, topic=topic, board=board, status=status)
        Follower.objects.create(community=community, idea=idea, member=actor.member)
        record_activity(
            community=community, member=actor.member, kind="idea", external_id=f"idea:{idea.pk}",
            occurred_at=topic.last_posted_at, title=topic.title, body=topic.body[:5000],
            url=idea_url(community, idea.pk), extra={"board": board.slug, "topic": topic.pk},
        )  # fmt: skip
        public_pages_changed(community.pk)
    idea.topic, idea.board, idea.status = topic, board, status
    return idea


def idea_follow(*, community: Community, actor: Actor, idea: Idea, follow: bool = True) -> bool:
    require(actor.is_member, "Sign in as a member to follow ideas.", code="permission_denied")
    require(can_read_board(actor, idea.board), "No such idea.", code="not_found")
    rows = Follower.objects.for_community(community).filter(idea=idea, member=actor.member)
    if not follow:
        rows.delete()
        return False
    Follower.objects.bulk_create([Follower(community=community, idea=idea, member=actor.member)], ignore_conflicts=True)
    return True


def idea_respond(
    *,
    community: Community,
    actor: Actor,
    idea: Idea,
    response: str | None = None,
    eta: date | str | None = "",
    tracker_url: str | None = None,
) -> Idea:
    """The public staff response, the ETA and the tracker link (each left alone when not given)."""
    require(can(actor, "feedback.manage"), "Only staff may answer ideas.", code="permission_denied")
    fields = []
    if response is not None:
        response = response.strip()
        require(len(response) <= MAX_RESPONSE, f"Keep the response under {MAX_RESPONSE} characters.", field="response")
        idea.staff_response, idea.staff_response_html = response, markdown.render(response) if response else ""
        idea.responded_by, idea.responded_at = actor_member(actor), timezone.now()
        fields += ["staff_response", "staff_response_html", "responded_by", "responded_at"]
    if eta != "":
        idea.eta = eta
        fields.append("eta")
    if tracker_url is not None:
        tracker_url = tracker_url.strip()
        if tracker_url:
            try:
                URLValidator(schemes=["http", "https"])(tracker_url)
            except ValidationError:
                require(False, "The tracker link is an http(s) address.", field="tracker_url")
        idea.tracker_url = tracker_url
        fields.append("tracker_url")
    if fields:
        public_pages_changed(community.pk)
        idea.save(update_fields=fields)
    return idea


def audience(*, community: Community, idea: Idea) -> set[int]:
    """Everyone who hears of the idea: its voters and its followers (member ids)."""
    voters = Vote.objects.for_community(community).filter(idea=idea).values_list("member_id", flat=True)
    followers = Follower.objects.for_community(community).filter(idea=idea).values_list("member_id", flat=True)
    return set(voters.union(followers))


def idea_status_change(
    *, community: Community, actor: Actor, idea: Idea, status: IdeaStatus, response: str | None = None
) -> Idea:
    """THE status change of an idea: pages, API and merges all come here, so what follows it is written once.

    Every voter and follower is told in-app (the forum's bell, kind "status") and by email (the forum's
    notification email, under the member's reply preference); the actor is not told of their own change.
    """
    require(can(actor, "feedback.manage"), "Only staff may change an idea's status.", code="permission_denied")
    require(status.community_id == community.pk, "No such status.", code="not_found", field="status")
    require(idea.merged_into_id is None, "This idea was merged: change the idea it was merged into.", code="conflict")
    with transaction.atomic():
        locked = Idea.objects.for_community(community).select_for_update().get(pk=idea.pk)
        if response is not None:
            idea_respond(community=community, actor=actor, idea=locked, response=response)
        if locked.status_id == status.pk:
            idea.staff_response, idea.staff_response_html = locked.staff_response, locked.staff_response_html
            return idea
        now = timezone.now()
        Idea.objects.for_community(community).filter(pk=idea.pk).update(status=status, status_changed_at=now)
        topic = Topic.objects.for_community(community).select_related("space").get(pk=idea.topic_id)
        reasons = {member_id: NotificationKind.STATUS for member_id in audience(community=community, idea=idea)}
        notifications.notify(
            community=community, actor_member=actor_member(actor), topic=topic, reply=None, reasons=reasons
        )
        public_pages_changed(community.pk)
        # The outbound-webhooks issue publishes `idea.status_changed` here, on commit, with the previous status
        # (`locked.status_id`) and the new one: every status change of an idea passes through this function only.
    idea.status, idea.status_id, idea.status_changed_at = status, status.pk, now
    idea.staff_response, idea.staff_response_html = locked.staff_response, locked.staff_response_html
    return idea


def member_follows(*, community: Community, idea: Idea, member: Member) -> None:
    Follower.objects.bulk_create([Follower(community=community, idea=idea, member=member)], ignore_conflicts=True)
