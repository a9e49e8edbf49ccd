"""Hand-made features of a text for the sentiment model: VADER's scores plus cues VADER weighs poorly.

The dense block is cheap (one VADER pass and a few counts per text); the model adds TF-IDF word n-grams on top
(insights/sentiment/model.py). Scoring the halves and the last sentence with VADER as well (three more passes)
gained nothing out of fold, so it is not done.
"""

import math
import re

import numpy as np
from vaderSentiment import vaderSentiment as vader

_analyzer: vader.SentimentIntensityAnalyzer | None = None


def vader_analyzer() -> vader.SentimentIntensityAnalyzer:
    """One VADER per process (loading the lexicons takes ~20 ms)."""
    global _analyzer
    if _analyzer is None:
        _analyzer = vader.SentimentIntensityAnalyzer()
    return _analyzer


_WORD = re.compile(r"[A-Za-z']+")
_NEGATIONS = frozenset(w.lower() for w in vader.NEGATE) | {"no", "not", "never", "nothing", "nobody", "none"}
_CONTRASTS = frozenset({"but", "however", "although", "though", "yet", "nevertheless", "except", "despite"})
_INTENSIFIERS = frozenset(vader.BOOSTER_DICT)
# Emoji ranges (pictographs, emoticons, symbols); VADER reads many of them through its emoji lexicon, the count
# tells the model that a text leans on them.
_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf]")
_POSITIVE_EMOTICON = re.compile(r"(?:[:;=]-?[)D\]pP]|<3|\^_\^|\(:)")
_NEGATIVE_EMOTICON = re.compile(r"(?:[:;=]'?-?[(\[/\\|]|D:|</3)")

DENSE_NAMES = (
    "compound", "pos", "neg", "neu", "compound_abs",
    "negations", "contrasts", "intensifiers", "exclamations", "questions", "caps_words",
    "emoji", "pos_emoticons", "neg_emoticons", "log_words", "lexicon_pos", "lexicon_neg",
)  # fmt: skip


def dense_features(text: str) -> list[float]:
    analyzer = vader_analyzer()
    scores = analyzer.polarity_scores(text)
    words = _WORD.findall(text)
    lower = [w.lower() for w in words]
    n = max(len(words), 1)
    lexicon = analyzer.lexicon
    valences = [lexicon[w] for w in lower if w in lexicon]
    return [
        scores["compound"],
        scores["pos"],
        scores["neg"],
        scores["neu"],
        abs(scores["compound"]),
        sum(w in _NEGATIONS for w in lower) / n,
        sum(w in _CONTRASTS for w in lower) / n,
        sum(w in _INTENSIFIERS for w in lower) / n,
        min(text.count("!"), 5) / 5,
        min(text.count("?"), 5) / 5,
        sum(len(w) > 1 and w.isupper() for w in words) / n,
        min(len(_EMOJI.findall(text)), 5) / 5,
        min(len(_POSITIVE_EMOTICON.findall(text)), 3) / 3,
        min(len(_NEGATIVE_EMOTICON.findall(text)), 3) / 3,
        math.log1p(len(words)) / 5,
        sum(v for v in valences if v > 0) / (4 * n),
        sum(-v for v in valences if v < 0) / (4 * n),
    ]


def dense_matrix(texts: list[str]) -> np.ndarray:
    return np.array([dense_features(t) for t in texts], dtype=np.float64).reshape(len(texts), len(DENSE_NAMES))
