"""The analyser: cleaning, language, batch scoring, and the trained model beating VADER out of fold."""
# ruff: noqa: RUF001 -- multilingual sample text: the look-alike letters are the point

import numpy as np
import pytest

from insights.sentiment import analyser, training
from insights.sentiment.cleaning import clean_text
from insights.sentiment.language import language_of
from insights.sentiment.model import labels_of


def test_code_blocks_quotes_markup_and_links_are_cleaned_away():
    text = (
        "> You are all idiots and this is garbage\n"
        "On Mon, 7 Dec 2026 at 10:00, Ann <ann@example.org> wrote:\n"
        "```\nTraceback: fatal error, crash, failure\n```\n"
        "    indented code: error error\n"
        "<blockquote>awful terrible</blockquote><p>Thanks, <b>this</b> works <code>kill -9</code> now!</p>\n"
        "**Great** [docs](https://example.org/x) and `rm -rf` see https://example.org/y &amp; more ;-)"
    )
    assert clean_text(text) == "Thanks, this works now!\nGreat docs and see & more ;-)"


def test_cleaning_keeps_emoticons_and_plain_text():
    assert clean_text("I love it :) ^_^ :-(") == "I love it :) ^_^ :-("
    assert clean_text("") == ""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ha, that's AWESOME!!! GREAT song!!! :D", "en"),
        ("The build is broken on arm64 since the last release.", "en"),
        ("Muchas gracias por la ayuda, ya funciona perfectamente.", "es"),
        ("Merci pour cette réponse détaillée, c'est exactement ce qu'il me fallait.", "fr"),
        ("Die Synchronisierung mit Slack bricht nach etwa zehn Minuten ab.", "de"),
        ("Спасибо, это решило мою проблему с импортом.", "ru"),
        ("新しいバージョンでフォーラムの検索が速くなりました。", "ja"),
        ("这个功能什么时候上线？我们社区非常需要。", "zh"),
        ("👍🎉", "und"),
        ("+1", "und"),
    ],
)
def test_language_is_guessed_from_script_and_function_words(text, language):
    assert language_of(text) == language


def test_every_training_snippet_counts_as_readable_english_almost_always():
    corpora = training.load_all()
    texts = [t for c in corpora for t in c.texts]
    readable = sum(language_of(t) in ("en", "und") for t in texts)
    assert readable / len(texts) > 0.998


def test_batch_is_scored_in_order_and_unreadable_text_left_unscored():
    results = analyser.analyse(["I love this, wonderful work!", "", "Merci beaucoup pour votre aide, c'est parfait",
                                "This is broken, awful and I hate it."])  # fmt: skip
    positive, empty, french, negative = results
    assert positive.score > 0.05 and positive.label == "positive" and positive.analyser == analyser.ANALYSER
    assert (empty.score, empty.label, empty.analyser) == (None, "", "")
    assert (french.score, french.language, french.analyser) == (None, "fr", "")
    assert negative.score < -0.05 and negative.label == "negative" and negative.language == "en"
    assert all(-1 <= r.score <= 1 for r in (positive, negative))


def test_a_quoted_insult_does_not_make_a_reply_negative():
    reply = "> you are useless and this is the worst, most hateful garbage\n\nThanks, that is a fair point."
    assert analyser.analyse([reply])[0].label != "negative"


def test_labels_follow_the_score_band():
    assert labels_of(np.array([0.06, 0.05, 0.0, -0.05, -0.06])) == [
        "positive", "neutral", "neutral", "neutral", "negative"
    ]  # fmt: skip


def test_measures_follow_the_vader_papers_definitions():
    means = np.array([2.0, -2.0, 0.1, 1.0])
    scores = np.array([0.5, 0.0, 0.02, -0.2])
    m = training.measures(means, scores, labels_of(scores))
    # Polar: the neutral-truth item is left out; a zero score is neither class; so one of 3 right.
    # positive: tp 1, fp 0, fn 1 -> 2/3; negative: tp 0, fp 1, fn 1 -> 0; macro 1/3.
    assert m["polar_f1"] == pytest.approx(1 / 3)
    assert m["pearson_r"] == pytest.approx(np.corrcoef(scores, means)[0, 1])


def test_the_shipped_model_scores_text_it_was_trained_on_closer_than_vader():
    # Not the judged figure (that is out of fold, docs/insights.md); a guard that the artefact is the trained one.
    corpus = training.load("tweets")
    scores = analyser.model().scores(corpus.texts[:400])
    vader = training.vader_scores(corpus.texts[:400])
    assert np.corrcoef(scores, corpus.means[:400])[0, 1] > np.corrcoef(vader, corpus.means[:400])[0, 1]
