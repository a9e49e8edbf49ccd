"""Votes: one per member per idea, removable, race-safe; staff (or a key) may vote on behalf of a member."""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from community.models import Community, Member
from community.page_cache import public_pages_changed
from community.policy import Actor, can
from discussions.services.common import actor_member

from ..models import Idea, Importance, Vote
from ..permissions import can_read_board, member_reads_board
from .common import idea_url, record_activity, require

# The unique constraint decides: of two concurrent votes by one member, one row is inserted and the other does
# nothing, so the count moves once. (A read-then-insert would let both pass the read.)
_INSERT = """
INSERT INTO feedback_vote (community_id, idea_id, member_id, importance, on_behalf, on_behalf_by_id, created_at)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (community_id, idea_id, member_id) DO NOTHING
RETURNING id
"""


def _locked_live_idea(community: Community, idea: Idea) -> Idea:
    # The idea's row lock orders votes against a merge moving them; a merged idea takes no more votes.
    locked = Idea.objects.for_community(community).select_for_update().select_related("topic").get(pk=idea.pk)
    require(locked.merged_into_id is None, "This idea was merged into another: vote there.", code="conflict")
    return locked


def _voter(community: Community, actor: Actor, idea: Idea, member: Member | None) -> tuple[Member, bool]:
    """The member the vote is for, and whether it is on their behalf."""
    own = actor_member(actor)
    if member is None or (own is not None and member.pk == own.pk):
        require(
            can(actor, "feedback.vote") and own is not None, "Sign in as a member to vote.", code="permission_denied"
        )
        require(can_read_board(actor, idea.board), "No such idea.", code="not_found")
        return own, False
    require(can(actor, "feedback.manage"), "Only staff may vote on behalf of a member.", code="permission_denied")
    require(member.community_id == community.pk, "No such member.", code="not_found", field="member_id")
    require(member.is_active and member_reads_board(member, idea.board), "This member cannot read the board.",
            field="member_id")  # fmt: skip
    return member, True


def vote_cast(
    *,
    community: Community,
    actor: Actor,
    idea: Idea,
    importance: str = Importance.NICE,
    member: Member | None = None,
) -> tuple[Vote, bool]:
    """Vote (or change the importance of one's vote); returns (vote, created)."""
    require(importance in Importance.values, "Importance: nice, important or critical.", field="importance")
    voter, on_behalf = _voter(community, actor, idea, member)
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_live_idea(community, idea)
        with connection.cursor() as cursor:
            cursor.execute(
                _INSERT,
                [community.pk, idea.pk, voter.pk, importance, on_behalf,
                 actor_member(actor).pk if on_behalf and actor_member(actor) else None, now],
            )  # fmt: skip
            row = cursor.fetchone()
        if row is None:
            vote = Vote.objects.for_community(community).get(idea=idea, member=voter)
            if vote.importance != importance:
                vote.importance = importance
                vote.save(update_fields=["importance"])
            return vote, False
        Idea.objects.for_community(community).filter(pk=idea.pk).update(vote_count=F("vote_count") + 1)
        record_activity(
            community=community, member=voter, kind="vote", external_id=f"vote:{idea.pk}:{voter.pk}",
            occurred_at=now, title=locked.topic.title, url=idea_url(community, idea.pk),
            extra={"idea": idea.pk, "importance": importance, "on_behalf": on_behalf},
        )  # fmt: skip
        public_pages_changed(community.pk)
    vote = Vote.objects.for_community(community).get(pk=row[0])
    idea.vote_count = locked.vote_count + 1
    return vote, True


def vote_remove(*, community: Community, actor: Actor, idea: Idea, member: Member | None = None) -> bool:
    """Take a vote back (staff: a member's on their behalf); True when a vote was removed."""
    voter, _ = _voter(community, actor, idea, member)
    with transaction.atomic():
        locked = _locked_live_idea(community, idea)
        removed, _ = Vote.objects.for_community(community).filter(idea=idea, member=voter).delete()
        if not removed:
            return False
        Idea.objects.for_community(community).filter(pk=idea.pk).update(vote_count=F("vote_count") - 1)
        public_pages_changed(community.pk)
    idea.vote_count = locked.vote_count - 1
    return True
