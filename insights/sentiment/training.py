"""Training data, the measures the issue judges by, and the cross-validation behind docs/insights.md."""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold

from .cleaning import clean_text
from .features import vader_analyzer
from .model import SentimentModel, Settings

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SETS = ("tweets", "movie", "amazon", "nyt")
SEED = 20261207
NEUTRAL_MEAN = 0.2  # truth is neutral when |mean| <= 0.2 (the and the data README's definition)


@dataclass
class Corpus:
    name: str
    texts: list[str]
    means: np.ndarray


def load(name: str, data_dir: Path = DATA_DIR) -> Corpus:
    with open(data_dir / f"{name}_train.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return Corpus(name, [clean_text(r["text"]) for r in rows], np.array([float(r["mean"]) for r in rows]))


def load_all(data_dir: Path = DATA_DIR) -> list[Corpus]:
    return [load(name, data_dir) for name in SETS]


def truth_labels(means: np.ndarray) -> list[str]:
    return ["positive" if m > NEUTRAL_MEAN else "negative" if m < -NEUTRAL_MEAN else "neutral" for m in means]


def vader_scores(texts: list[str]) -> np.ndarray:
    analyzer = vader_analyzer()
    return np.array([analyzer.polarity_scores(t)["compound"] for t in texts])


def vader_labels(scores: np.ndarray) -> list[str]:
    return ["positive" if s >= 0.05 else "negative" if s <= -0.05 else "neutral" for s in scores]


def measures(means: np.ndarray, scores: np.ndarray, labels: list[str]) -> dict[str, float]:
    """Polar F1 (VADER paper: items whose truth is not neutral, polarity from the score's sign, a zero score
    counts as neither), 3-class macro-F1 of the labels, Pearson r of score against the human mean."""
    truth = truth_labels(means)
    polar = [i for i, t in enumerate(truth) if t != "neutral"]
    signs = ["positive" if scores[i] > 0 else "negative" if scores[i] < 0 else "neutral" for i in polar]
    return {
        "polar_f1": f1_score([truth[i] for i in polar], signs, labels=["positive", "negative"], average="macro"),
        "macro_f1": f1_score(truth, labels, labels=["positive", "neutral", "negative"], average="macro"),
        "pearson_r": float(np.corrcoef(scores, means)[0, 1]),
    }


def cross_validate(corpora: list[Corpus], settings: Settings | None = None, folds: int = 5) -> dict[str, dict]:
    """5-fold per set: each fold of a set is scored by a model trained on the other folds of that set plus
    every other set in full (as the shipped model is trained on all four). Returns VADER's and Hearth's measures."""
    results = {}
    for own, corpus in enumerate(corpora):
        others = [(i, c) for i, c in enumerate(corpora) if i != own]
        others_texts = [t for _, c in others for t in c.texts]
        others_means = np.concatenate([c.means for _, c in others])
        others_domains = np.concatenate([[i] * len(c.texts) for i, c in others])
        predicted = np.zeros(len(corpus.texts))
        for train, test in KFold(folds, shuffle=True, random_state=SEED).split(corpus.texts):
            model = SentimentModel(settings).fit(
                others_texts + [corpus.texts[i] for i in train],
                np.concatenate([others_means, corpus.means[train]]),
                np.concatenate([others_domains, [own] * len(train)]).astype(int),
            )
            predicted[test] = model.scores([corpus.texts[i] for i in test])
        vader = vader_scores(corpus.texts)
        results[corpus.name] = {
            "rows": len(corpus.texts),
            "vader": measures(corpus.means, vader, vader_labels(vader)),
            "hearth": measures(corpus.means, predicted, SentimentModel(settings).labels(predicted)),
        }
    return results


def train(corpora: list[Corpus], settings: Settings | None = None) -> SentimentModel:
    texts = [t for c in corpora for t in c.texts]
    domains = np.concatenate([[i] * len(c.texts) for i, c in enumerate(corpora)]).astype(int)
    return SentimentModel(settings).fit(texts, np.concatenate([c.means for c in corpora]), domains)
