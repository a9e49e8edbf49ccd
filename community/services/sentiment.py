"""Sentiment of activity text: VADER's compound score (-1 … 1) and its label, one analyzer per process."""

import threading

from vaderSentiment import vaderSentiment as vader

# VADER's usual thresholds on the compound score.
POSITIVE = 0.05
NEGATIVE = -0.05
LABELS = frozenset({"positive", "neutral", "negative"})
# VADER is linear in the text's tokens; scoring the opening keeps one huge body (200 KB is allowed) from
# costing a worker a tenth of a second.
MAX_CHARS = 5_000

_analyzer = None
_analyzer_lock = threading.Lock()


def analyzer() -> vader.SentimentIntensityAnalyzer:
    """The process's analyzer, built on first use (loading the lexicons takes ~20 ms), never per item."""
    global _analyzer
    if _analyzer is None:
        with _analyzer_lock:
            if _analyzer is None:
                _analyzer = vader.SentimentIntensityAnalyzer()
    return _analyzer


def sentiment_label(score: float) -> str:
    if score >= POSITIVE:
        return "positive"
    if score <= NEGATIVE:
        return "negative"
    return "neutral"


def sentiment_of(title: str, body: str) -> tuple[float | None, str]:
    """Compound score and label of an activity's title and body; (None, "") when it carries no text."""
    text = f"{title}\n{body}".strip() if title and body else (title or body).strip()
    if not text:
        return None, ""
    score = analyzer().polarity_scores(text[:MAX_CHARS])["compound"]
    return score, sentiment_label(score)
