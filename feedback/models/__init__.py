"""Models of the feedback app, one module per aggregate."""

from .board import Board, BoardVisibility
from .changelog import ChangelogEntry
from .idea import Evidence, Follower, Idea, Importance, Vote
from .status import DEFAULT_STATUSES, IdeaStatus

__all__ = [
    "DEFAULT_STATUSES",
    "Board",
    "BoardVisibility",
    "ChangelogEntry",
    "Evidence",
    "Follower",
    "Idea",
    "IdeaStatus",
    "Importance",
    "Vote",
]
