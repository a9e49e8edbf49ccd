"""Watched words on ingested channel activities: a match holds or flags the activity (the screen then opens its
queue item with the others it held or flagged, source "watched_word": services/review.py).

A channel message is already public on its platform, so a block or hold word holds it here (status "held", in the
queue) and a flag word flags it; censoring has nothing to rewrite. Forum rows are skipped: the forum's own check
(posting_rules) applied the words before the post was stored.
"""

from community.models import Community

from ..models import WordAction
from ..rules import words
from ..rules.cache import rules_for
from .watched_words import strongest

STATUS_OF = {WordAction.BLOCK: "held", WordAction.HOLD: "held", WordAction.FLAG: "flagged"}
RANK = {"published": 0, "flagged": 1, "held": 2}


def word_verdicts(*, community: Community, texts: list[str], channels: list[str]) -> dict[int, tuple[str, list[str]]]:
    """Row index -> (status, reasons) for the rows a watched word holds or flags; the cached list, no query."""
    rules = [r for r in rules_for(community) if r.action in STATUS_OF]
    if not rules:
        return {}
    found = {}
    for i, (text, channel) in enumerate(zip(texts, channels, strict=True)):
        if channel == "forum" or not text:
            continue
        matches = words.find(rules, {"body": text})
        if matches:
            reasons = list(dict.fromkeys(f"watched word: {m.rule.pattern}"[:80] for m in matches))
            found[i] = (STATUS_OF[strongest(matches)], reasons)
    return found


def stronger(status: str, other: str) -> str:
    return other if RANK[other] > RANK[status] else status
