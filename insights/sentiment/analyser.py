"""The analyser activities are scored with: clean, detect the language, score a whole batch at once.

One trained model per process, loaded on first use from the shipped artefact (insights/data/sentiment_model.joblib,
rebuilt by `manage.py train_sentiment_model`). Its name and version go on every score it gives, so a score can
always be traced to the model that gave it and rescored when a better one ships.
"""

import threading
from dataclasses import dataclass
from pathlib import Path

import joblib

from .cleaning import clean_text
from .language import UNDETERMINED, is_scored, language_of

NAME = "hearth-sentiment"
VERSION = "1"  # bump with every retrained artefact that scores differently
ANALYSER = f"{NAME}@{VERSION}"
ARTEFACT = Path(__file__).resolve().parent.parent / "data" / "sentiment_model.joblib"

_model = None
_lock = threading.Lock()


def model():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = joblib.load(ARTEFACT)
    return _model


@dataclass(frozen=True)
class Sentiment:
    score: float | None  # None: nothing to read, or a language the analyser does not read
    label: str
    language: str
    analyser: str


def analyse(texts: list[str]) -> list[Sentiment]:
    """One result per text, in order; the readable ones are vectorised and scored together."""
    cleaned = [clean_text(text) for text in texts]
    languages = [language_of(text) if text else UNDETERMINED for text in cleaned]
    readable = [i for i, text in enumerate(cleaned) if text and is_scored(languages[i])]
    results = [Sentiment(None, "", languages[i], "") for i in range(len(texts))]
    if readable:
        trained = model()
        scores = trained.scores([cleaned[i] for i in readable])
        for i, score, label in zip(readable, scores, trained.labels(scores), strict=True):
            results[i] = Sentiment(round(float(score), 4), label, languages[i], ANALYSER)
    return results
