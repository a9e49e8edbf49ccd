"""The shipped spam model is the blend docs/moderation.md describes: pooled model and comments specialist, weighted."""

import numpy as np
import pytest

from moderation.scoring.spam import model, text_probabilities
from moderation.scoring.spam_model import BlendedModel, Settings

TEXTS = [
    "Check out my channel http://bit.ly/free-iphone-now and subscribe!!! Win a FREE iPhone, click here",
    "Is the meetup still on Friday? I can bring the slides for the demo",
    "WINNER!! You have won a £1000 prize. Call 09061701461 now to claim, T&C apply",
]


def test_the_artefact_blends_the_pooled_model_and_the_comments_specialist_at_the_documented_weight():
    shipped = model()
    assert isinstance(shipped, BlendedModel) and shipped.weight == Settings().specialist_weight == 0.4
    assert shipped.hearth_settings["specialist_corpus"] == "youtube"
    pooled = shipped.pooled.predict_proba(TEXTS)[:, 1]
    specialist = shipped.specialist.predict_proba(TEXTS)[:, 1]
    assert np.allclose(text_probabilities(TEXTS), 0.6 * pooled + 0.4 * specialist)
    assert not np.allclose(pooled, specialist)  # two different models, or the blend would be a no-op


@pytest.mark.parametrize("weight", [0.0, 1.0])
def test_the_ends_of_the_blend_are_its_parts(weight):
    shipped = model()
    blend = BlendedModel(shipped.pooled, shipped.specialist, weight)
    part = shipped.pooled if weight == 0 else shipped.specialist
    assert np.allclose(blend.predict_proba(TEXTS), part.predict_proba(TEXTS))
