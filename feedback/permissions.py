"""Who reads a board: public boards to every reader of the community, members boards to members and keys, staff
boards to staff. The board's space carries the same rule for the forum (public, members, a group nobody joins)."""

from django.db.models import Q

from community.models import Role
from community.policy import RANK, Actor, can

from .models import Board, BoardVisibility


def readable_boards_q(actor: Actor, through: str = "") -> Q | None:
    """A filter on Board (or through a relation, "board__"); None when the actor reads no board at all."""
    if not can(actor, "feedback.read"):
        return None
    if actor.is_staff:
        return Q()
    visible = [BoardVisibility.PUBLIC]
    if actor.is_member or actor.api_key is not None:
        visible.append(BoardVisibility.MEMBERS)
    return Q(**{f"{through}visibility__in": visible})


def can_read_board(actor: Actor, board: Board) -> bool:
    if not can(actor, "feedback.read"):
        return False
    if actor.is_staff or board.visibility == BoardVisibility.PUBLIC:
        return True
    if board.visibility == BoardVisibility.MEMBERS:
        return actor.is_member or actor.api_key is not None
    return False


def member_reads_board(member, board: Board) -> bool:
    """The rule above for a member who is not the actor (a vote recorded on their behalf)."""
    if board.visibility == BoardVisibility.STAFF:
        return RANK.get(member.role, 0) >= RANK[Role.MODERATOR]
    return member.is_active
