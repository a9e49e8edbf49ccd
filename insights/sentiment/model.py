"""Hearth's sentiment model: VADER's features, TF-IDF n-grams and a style guess, stacked under gradient boosting.

Two layers, both trained on the shipped data (insights/data/, see insights/sentiment/training.py):
1. On TF-IDF word 1-2-grams: a ridge regression of the human mean (what the words say)
   and a linear SVM guessing which of the four kinds of text this resembles (tweet, movie review, product review,
   opinion news), since the same words rate differently in each. Their out-of-fold outputs train layer 2.
2. A gradient-boosted regressor on VADER's scores and cues (features.py) plus layer 1's outputs predicts the
   human mean; it learns, for example, that VADER's compound is worth more on short, tweet-like text.

The score is that prediction scaled from -4 … 4 to -1 … 1 and clipped. The label comes from the same score
(neutral when |score| ≤ 0.05, the judged truth's band |mean| ≤ 0.2 scaled), so score and label never disagree.
"""

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC
from threadpoolctl import threadpool_limits

from .features import dense_matrix

SCALE = 4.0  # the human ratings run from -4 to 4
NEUTRAL_BAND = 0.2 / SCALE
WORD_TOKENS = r"(?u)\b\w[\w']*\b|[!?]"  # words with their apostrophes, and ! and ? as tokens of their own


@dataclass
class Settings:
    """Everything that shapes a trained model; the artefact stores it, docs/insights.md quotes it."""

    ridge_alpha: float = 1.0
    svm_c: float = 0.3
    inner_folds: int = 4
    boost_iterations: int = 300
    boost_learning_rate: float = 0.05
    boost_leaves: int = 15
    boost_min_leaf: int = 30
    # Each set weighs the same in total whatever its size (movie snippets would otherwise be half the data),
    # and tweets, the closest to community chatter, twice that.
    tweet_weight: float = 2.0
    neutral_band: float = NEUTRAL_BAND
    seed: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def set_weights(domains: np.ndarray, tweet_weight: float) -> np.ndarray:
    counts = np.bincount(domains, minlength=4).astype(float)
    weights = (len(domains) / np.count_nonzero(counts)) / counts[domains]
    weights[domains == 0] *= tweet_weight  # domain 0 is tweets (training.SETS order)
    return weights


class SentimentModel:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()

    def _sparse(self, texts: list[str]):
        # Character 2-5-grams on top cost 5x the word n-grams to build at scoring time and moved no judged figure
        # by more than 0.02 out of fold (docs/insights.md), so words only.
        return self.words.transform(texts)

    def fit(self, texts: list[str], means: np.ndarray, domains: np.ndarray) -> "SentimentModel":
        s = self.settings
        target = np.asarray(means, dtype=np.float64) / SCALE
        domains = np.asarray(domains)
        self.words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=WORD_TOKENS).fit(
            texts
        )
        grams = self._sparse(texts)
        # Layer 1 out of fold, so layer 2 learns how much to trust it on text it has not seen.
        ridge_oof = np.zeros(len(texts))
        style_oof = np.zeros((len(texts), 4))
        for train, test in KFold(s.inner_folds, shuffle=True, random_state=s.seed + 1).split(texts):
            ridge_oof[test] = Ridge(alpha=s.ridge_alpha).fit(grams[train], target[train]).predict(grams[test])
            svm = LinearSVC(C=s.svm_c, random_state=s.seed).fit(grams[train], domains[train])
            style_oof[test] = svm.decision_function(grams[test])
        self.ridge = Ridge(alpha=s.ridge_alpha).fit(grams, target)
        self.style = LinearSVC(C=s.svm_c, random_state=s.seed).fit(grams, domains)
        stacked = np.column_stack([dense_matrix(texts), ridge_oof, style_oof])
        self.boost = HistGradientBoostingRegressor(
            max_iter=s.boost_iterations, learning_rate=s.boost_learning_rate, max_leaf_nodes=s.boost_leaves,
            min_samples_leaf=s.boost_min_leaf, random_state=s.seed,
        )  # fmt: skip
        self.boost.fit(stacked, target, sample_weight=set_weights(domains, s.tweet_weight))
        return self

    def scores(self, texts: list[str]) -> np.ndarray:
        """Scores in -1 … 1 for a batch: one vectorisation and one pass of each layer for all of them."""
        if not texts:
            return np.zeros(0)
        grams = self._sparse(texts)
        stacked = np.column_stack([dense_matrix(texts), self.ridge.predict(grams), self.style.decision_function(grams)])
        # One thread: OpenMP's pool costs ~10 ms per tree pass on a busy 2-core worker (each worker process already
        # has its core), 30x the prediction itself.
        with threadpool_limits(1, user_api="openmp"):
            predicted = self.boost.predict(stacked)
        return np.clip(predicted, -1.0, 1.0)

    def labels(self, scores: np.ndarray) -> list[str]:
        return labels_of(scores, self.settings.neutral_band)


def labels_of(scores, band: float = NEUTRAL_BAND) -> list[str]:
    return ["positive" if s > band else "negative" if s < -band else "neutral" for s in scores]
