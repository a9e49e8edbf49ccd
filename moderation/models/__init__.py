"""Moderation models: the review queue and flags, sanctions and appeals, the append-only log, guideline acceptances."""

from .guidelines import GuidelinesAcceptance
from .log import LogEntry
from .queue import Flag, FlagOutcome, FlagReason, ItemStatus, QueueItem, SubjectKind
from .rules import MemberTrust, WatchedWord, WordAction, WordKind
from .sanction import Appeal, AppealStatus, Sanction, SanctionKind

__all__ = [
    "Appeal",
    "AppealStatus",
    "Flag",
    "FlagOutcome",
    "FlagReason",
    "GuidelinesAcceptance",
    "ItemStatus",
    "LogEntry",
    "MemberTrust",
    "QueueItem",
    "Sanction",
    "SanctionKind",
    "SubjectKind",
    "WatchedWord",
    "WordAction",
    "WordKind",
]
