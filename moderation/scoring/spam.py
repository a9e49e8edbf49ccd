"""hearth-spam: the trained text classifier (spam_model.py) plus what it cannot see, the author's context.

The classifier's probability is moved in log-odds by the signals of ScoreInput, then a trusted member's score is
cut by TRUSTED_FACTOR: the same text weighs less from someone the community knows. Each shift is bounded so that
no signal alone turns an ordinary text from a new member into spam; together with a spammy text they decide.
"""

import math
import threading

import joblib
import numpy as np

from .base import ScoreInput, Verdict
from .spam_model import ARTEFACT
from .text import links_and_mentions

NEW_WITH_LINKS = 1.5  # a new member's first links or mentions: the classic drive-by
EXTRA_LINK = 0.5  # each further link (at most two counted)
BRAND_NEW = 0.4  # an account less than an hour old
DUPLICATE = 1.0  # each near-duplicate elsewhere by the same author (at most three counted)
VELOCITY_POSTS, VELOCITY = 5, 1.0  # five or more posts within ten minutes
TRUSTED_FACTOR = 0.45
TEXT_REASON = 0.5

_lock = threading.Lock()
_model = None


def model():
    """The shipped artefact, loaded once per process (on first use, so importing the app stays cheap)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = joblib.load(ARTEFACT)
    return _model


def text_probabilities(texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros(0)
    return model().predict_proba(texts)[:, 1]


def combine(probability: float, item: ScoreInput) -> tuple[float, list[str]]:
    """The spam score of one item from its text's probability and its author's signals, with the reasons."""
    p = min(max(float(probability), 1e-4), 1 - 1e-4)
    logit = math.log(p / (1 - p))
    reasons = ["spam-like text"] if p >= TEXT_REASON else []
    links, mentions = links_and_mentions(item.text)
    if item.trust == "new" and links + mentions:
        logit += NEW_WITH_LINKS + EXTRA_LINK * min(links + mentions - 1, 2)
        reasons.append("links or mentions from a new member")
    if item.brand_new:
        logit += BRAND_NEW
        reasons.append("brand-new account")
    if item.duplicates:
        logit += DUPLICATE * min(item.duplicates, 3)
        reasons.append("same text posted elsewhere")
    if item.recent_posts >= VELOCITY_POSTS:
        logit += VELOCITY
        reasons.append("posting fast")
    score = 1 / (1 + math.exp(-logit))
    if item.trust == "trusted":
        score *= TRUSTED_FACTOR
    return round(score, 4), reasons


class HearthSpamScorer:
    name = "hearth-spam"
    version = "2"  # 2: the blend of the pooled model and the comments specialist

    def score(self, items: list[ScoreInput]) -> list[Verdict]:
        probabilities = text_probabilities([item.text for item in items])  # one vectorisation for the batch
        verdicts = []
        for p, item in zip(probabilities, items, strict=True):
            spam, reasons = combine(p, item)
            verdicts.append(Verdict(spam=spam, reasons=reasons))
        return verdicts
