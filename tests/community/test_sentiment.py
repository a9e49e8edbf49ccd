"""Sentiment scoring: VADER's compound score, the usual labels, one analyzer per process."""

import random

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bench.datagen.text import Texts
from community.services import sentiment
from community.services.sentiment import sentiment_label, sentiment_of


def test_emoji_laden_multilingual_text_is_scored_like_vader_scores_it():
    stock = SentimentIntensityAnalyzer()
    texts = Texts(random.Random(11))  # the bench's multilingual, emoji-laden sentences
    for text in [f"{texts.title()}\n{texts.body()}" for _ in range(50)] + ["I love it 😍", "This sucks 😡"]:
        score, label = sentiment_of("", text)
        assert score == stock.polarity_scores(text)["compound"]
        assert label == sentiment_label(score)


def test_labels_follow_vaders_thresholds():
    assert [sentiment_label(x) for x in (0.05, 0.049, 0.0, -0.049, -0.05)] == [
        "positive",
        "neutral",
        "neutral",
        "neutral",
        "negative",
    ]


def test_no_text_no_score_and_one_analyzer_per_process():
    assert sentiment_of("", "  ") == (None, "")
    sentiment_of("Great", "")
    first = sentiment.analyzer()
    sentiment_of("", "Awful")
    assert sentiment.analyzer() is first
