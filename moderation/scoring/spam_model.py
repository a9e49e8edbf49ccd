"""Hearth's spam text classifier and its training: TF-IDF word 1-2-grams and character 2-5-grams of the text with
links, phone numbers, sums and numbers replaced by tokens, under a linear SVM whose margins are calibrated to
probabilities (Platt scaling, 5 folds). Two such models blended: one trained on both shipped corpora (YouTube
comments and SMS messages), since a community's text arrives without a label saying which it resembles, and a
comments specialist trained on the YouTube half alone (`BlendedModel`, weight `Settings.specialist_weight`).

Data: moderation/data/ (copies of the training halves, see moderation/data/README.md). Rebuild with
`manage.py train_spam_model`; `--cross-validate` prints the figures quoted in docs/moderation.md.
"""

import csv
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, matthews_corrcoef, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_union
from sklearn.svm import LinearSVC

from .text import model_text

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ARTEFACT = DATA_DIR / "spam_model.joblib"
WORD_TOKENS = r"(?u)\b\w[\w']*\b|[!?$£]"
SEED = 20261207


@dataclass
class Settings:
    """Everything that shapes the trained model; the artefact stores it, docs/moderation.md quotes it."""

    svm_c: float = 1.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    char_min_df: int = 2
    calibration_folds: int = 5
    # The weight of the comments specialist (trained on the YouTube half alone) in the blend with the model trained
    # on both corpora; chosen out of fold on the training halves (docs/moderation.md): 0 is the pooled model alone.
    specialist_weight: float = 0.4
    specialist_corpus: str = "youtube"

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Corpus:
    name: str
    texts: list[str]
    authors: list[str]
    labels: np.ndarray  # 1 spam, 0 ham
    places: list[str]  # where each text was posted (the video), for the duplicate signal


def load_tubespam(data_dir: Path = DATA_DIR) -> Corpus:
    with open(data_dir / "tubespam_train.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return Corpus("youtube", [r["text"] for r in rows], [r["author"] for r in rows],
                  np.array([int(r["spam"]) for r in rows]), [r["video"] for r in rows])  # fmt: skip


def load_sms(data_dir: Path = DATA_DIR) -> Corpus:
    with open(data_dir / "sms_train.tsv", encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t", 1) for line in handle if line.strip()]
    return Corpus("sms", [t for _, t in rows], [""] * len(rows), np.array([int(label == "spam") for label, _ in rows]),
                  [""] * len(rows))  # fmt: skip


def load_all(data_dir: Path = DATA_DIR) -> list[Corpus]:
    return [load_tubespam(data_dir), load_sms(data_dir)]


def build(settings: Settings | None = None) -> Pipeline:
    s = settings or Settings()
    features = make_union(
        TfidfVectorizer(preprocessor=model_text, ngram_range=s.word_ngrams, sublinear_tf=True, token_pattern=WORD_TOKENS),
        TfidfVectorizer(preprocessor=model_text, analyzer="char_wb", ngram_range=s.char_ngrams, min_df=s.char_min_df,
                        sublinear_tf=True),
    )  # fmt: skip
    classifier = CalibratedClassifierCV(LinearSVC(C=s.svm_c), cv=s.calibration_folds, method="sigmoid")
    return Pipeline([("features", features), ("classifier", classifier)])


class BlendedModel:
    """The shipped model: a weighted mean of the probabilities of the pooled model (both corpora) and of a specialist
    trained on comments alone. The pooled model pays on comments for what it learns from SMS; the specialist knows
    comments best but has never seen an SMS. `predict_proba` has scikit-learn's shape, so callers see one model."""

    def __init__(self, pooled: Pipeline, specialist: Pipeline, weight: float):
        self.pooled, self.specialist, self.weight = pooled, specialist, weight

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        p = (1 - self.weight) * self.pooled.predict_proba(texts)[:, 1]
        p += self.weight * self.specialist.predict_proba(texts)[:, 1]
        return np.column_stack([1 - p, p])


def _fit(texts: list[str], labels: np.ndarray, settings: Settings) -> Pipeline:
    return build(settings).fit(texts, labels)


def train(corpora: list[Corpus], settings: Settings | None = None) -> BlendedModel:
    s = settings or Settings()
    pooled = _fit([t for c in corpora for t in c.texts], np.concatenate([c.labels for c in corpora]), s)
    (special,) = [c for c in corpora if c.name == s.specialist_corpus]
    model = BlendedModel(pooled, _fit(special.texts, special.labels, s), s.specialist_weight)
    model.hearth_settings = s.as_dict()
    return model


def measures(truth: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    predicted = (probabilities >= 0.5).astype(int)
    return {
        "f1_spam": round(float(f1_score(truth, predicted)), 4),
        "mcc": round(float(matthews_corrcoef(truth, predicted)), 4),
        "precision": round(float(precision_score(truth, predicted)), 4),
        "recall": round(float(recall_score(truth, predicted)), 4),
    }


def out_of_fold(corpora: list[Corpus], settings: Settings | None = None, folds: int = 5) -> dict[str, np.ndarray]:
    """Stratified 5-fold per corpus, each fold scored as the shipped blend would score it: the pooled part trained on
    the other folds of that corpus plus the other corpus in full, the specialist on the other folds of its own corpus
    (or on all of it, for another corpus's folds). Returns the out-of-fold probabilities."""
    s = settings or Settings()
    (special,) = [c for c in corpora if c.name == s.specialist_corpus]
    result = {}
    for own, corpus in enumerate(corpora):
        other_texts = [t for i, c in enumerate(corpora) if i != own for t in c.texts]
        other_labels = np.concatenate([c.labels for i, c in enumerate(corpora) if i != own])
        specialist_everywhere = None if corpus is special else _fit(special.texts, special.labels, s)
        predicted = np.zeros(len(corpus.texts))
        for train_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(
            corpus.texts, corpus.labels
        ):
            train_texts = [corpus.texts[i] for i in train_rows]
            pooled = _fit(other_texts + train_texts, np.concatenate([other_labels, corpus.labels[train_rows]]), s)
            specialist = (
                specialist_everywhere
                if specialist_everywhere is not None
                else _fit(train_texts, corpus.labels[train_rows], s)
            )
            blend = BlendedModel(pooled, specialist, s.specialist_weight)
            predicted[test_rows] = blend.predict_proba([corpus.texts[i] for i in test_rows])[:, 1]
        result[corpus.name] = predicted
    return result
