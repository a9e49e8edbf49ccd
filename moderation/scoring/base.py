"""The scorer interface: a batch of texts with what is known of their authors in, one verdict per text out.

A scorer is any class with `name`, `version` and `score(items) -> list[Verdict]`; the ones in use are the dotted
paths of the HEARTH_MODERATION_SCORERS setting, so a stronger model or a hosted service (Akismet, Perspective)
replaces or joins the shipped ones without touching the listener. Each scorer may answer spam, toxicity or both
(None: "not my field"); when several answer the same field the highest score wins, and the reasons add up.
"""

from dataclasses import dataclass, field
from functools import cache
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_SCORERS = (
    "moderation.scoring.spam.HearthSpamScorer",
    "moderation.scoring.toxicity.LexiconToxicityScorer",
)


@dataclass(frozen=True)
class ScoreInput:
    """One text to judge, and the signals about its author a text classifier cannot see (computed in SQL)."""

    text: str
    author_name: str = ""
    # "new" (joined < NEW_DAYS ago or few activities), "basic", or "trusted" (staff, or long and active).
    trust: str = "basic"
    brand_new: bool = False  # the account is less than an hour old
    duplicates: int = 0  # near-duplicates by the same author in other topics or channels
    recent_posts: int = 0  # the author's activities in the 10 minutes around this one (velocity)


@dataclass
class Verdict:
    spam: float | None = None
    toxicity: float | None = None
    reasons: list[str] = field(default_factory=list)


@runtime_checkable
class Scorer(Protocol):
    name: str
    version: str

    def score(self, items: list[ScoreInput]) -> list[Verdict]:
        """One verdict per item, in order; batch work (one vectorisation) rather than a loop of single calls."""
        ...


@cache
def _scorers(paths: tuple[str, ...]) -> tuple[Scorer, ...]:
    return tuple(import_string(path)() for path in paths)


def scorers() -> tuple[Scorer, ...]:
    """The configured scorers, built once per process (the spam model loads its artefact lazily)."""
    return _scorers(tuple(getattr(settings, "HEARTH_MODERATION_SCORERS", DEFAULT_SCORERS)))


def scorer_label(used: tuple[Scorer, ...]) -> str:
    return "+".join(f"{s.name}@{s.version}" for s in used)


def score_all(items: list[ScoreInput], used: tuple[Scorer, ...] | None = None) -> list[Verdict]:
    """Every scorer's verdicts merged per item: the highest spam, the highest toxicity, all reasons (no repeats)."""
    used = scorers() if used is None else used
    merged = [Verdict(spam=0.0, toxicity=0.0) for _ in items]
    for scorer in used:
        for out, verdict in zip(merged, scorer.score(items), strict=True):
            if verdict.spam is not None:
                out.spam = max(out.spam or 0.0, float(verdict.spam))
            if verdict.toxicity is not None:
                out.toxicity = max(out.toxicity or 0.0, float(verdict.toxicity))
            out.reasons.extend(r for r in verdict.reasons if r not in out.reasons)
    return merged
