"""Screening of new activities: spam (text + author signals) and toxicity, thresholds per community, the listener."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from community.errors import ServiceError
from community.models import Activity, Member, Role
from community.policy import Actor
from community.services.activities import activity_ingest, activity_record
from community.tenancy import community_scope
from moderation.rules.cache import rules_for
from moderation.scoring import base
from moderation.scoring.base import ScoreInput, Verdict
from moderation.scoring.spam import text_probabilities
from moderation.scoring.toxicity import toxicity
from moderation.services.screening import activities_for_review, activities_screen, moderation_thresholds_set
from tests.factories import add_member

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
SPAM = "Check out my channel http://bit.ly/free-iphone-now and subscribe!!! Win a FREE iPhone, click here"
HAM = "Is the meetup still on Friday? I can bring the slides for the demo"


def _member(community, name, *, days=0, activities=0, role=Role.MEMBER):
    member = add_member(community, None, display_name=name)
    Member.objects.filter(pk=member.pk).update(
        joined_at=timezone.now() - timedelta(days=days), activity_count=activities, role=role
    )
    return Member.objects.get(pk=member.pk)


def _post(community, member, n, text, *, channel="forum", parent="", at=T0):
    return activity_record(
        community=community, member=member, kind="post", source=channel, external_id=f"p{n}", occurred_at=at,
        body=text, channel=channel, parent_external_id=parent,
    ).pk  # fmt: skip


def _screened(community, *ids):
    activities_screen(community=community, activity_ids=list(ids))
    rows = {a.pk: a for a in Activity.objects.for_community(community).filter(pk__in=ids)}
    return [rows[i] for i in ids]


def test_the_shipped_model_loads_and_separates_obvious_spam_from_ham():
    spam, ham, sms_spam, sms_ham = text_probabilities([
        SPAM, HAM, "WINNER!! You have won a £1000 prize. Call 09061701461 now to claim, T&C apply",
        "Ok see you at lunch, I'll bring the slides",
    ])  # fmt: skip
    assert spam > 0.8 and sms_spam > 0.8
    assert ham < 0.2 and sms_ham < 0.2


def test_a_spammy_post_from_a_new_account_is_held_and_the_same_text_from_a_trusted_member_passes(world):
    with community_scope(world.a.pk):
        newcomer = _member(world.a, "Newcomer")
        regular = _member(world.a, "Regular", days=90, activities=60)
        ids = [_post(world.a, newcomer, 1, SPAM), _post(world.a, regular, 2, SPAM, channel="discord")]
        held, passed = _screened(world.a, *ids)
    assert held.moderation_status == "held" and held.moderation_spam >= 0.8
    assert "links or mentions from a new member" in held.moderation_reasons
    assert any(r.startswith("spam ") and "hold level" in r for r in held.moderation_reasons)
    assert passed.moderation_status == "published" and passed.moderation_spam < 0.5
    assert passed.moderation_reasons == []
    with community_scope(world.a.pk):
        assert list(activities_for_review(community=world.a).values_list("pk", flat=True)) == [held.pk]


def test_near_duplicates_by_one_author_across_channels_raise_spam(world):
    text = "Great tutorial, I made a course about exactly this, ask me for the discount code"
    with community_scope(world.a.pk):
        author = _member(world.a, "Poster", days=30, activities=10)
        other = _member(world.a, "Once", days=30, activities=10)
        once = _screened(world.a, _post(world.a, other, 0, text))[0]
        first = _screened(world.a, _post(world.a, author, 1, text, parent="topic-1"))[0]
        # Later, the same text give or take a word, in another topic and on two other channels.
        again = [
            _post(world.a, author, 2, text + " today", parent="topic-2", at=T0 + timedelta(hours=1)),
            _post(world.a, author, 3, "Hi all, " + text, channel="discord", at=T0 + timedelta(hours=2)),
            _post(world.a, author, 4, text + "!", channel="github", at=T0 + timedelta(hours=3)),
        ]
        repeated = _screened(world.a, *again)
    assert first.moderation_spam == pytest.approx(once.moderation_spam, abs=1e-3)
    # An ordinary text (2-3% from the classifier) climbs with every place it is repeated in.
    assert all(r.moderation_spam > 3 * first.moderation_spam for r in repeated)
    assert repeated[-1].moderation_spam > 0.4
    assert first.text_simhash is not None


def test_the_duplicate_signal_names_itself_and_is_bounded():
    from moderation.scoring.spam import combine

    once, _ = combine(0.3, ScoreInput(text="x", duplicates=0))
    twice, reasons = combine(0.3, ScoreInput(text="x", duplicates=1))
    many, _ = combine(0.3, ScoreInput(text="x", duplicates=3))
    assert once < twice < many and "same text posted elsewhere" in reasons
    assert combine(0.3, ScoreInput(text="x", duplicates=30))[0] == many  # counted up to three


def test_posting_fast_raises_spam(world):
    text = "Join our server for giveaways"
    with community_scope(world.a.pk):
        calm = _member(world.a, "Calm", days=30, activities=10)
        fast = _member(world.a, "Fast", days=30, activities=10)
        slow = _screened(world.a, _post(world.a, calm, 0, text))[0]
        burst = [_post(world.a, fast, n, f"{text} number {n} of {n * 7}", parent=f"t{n}",
                       at=T0 + timedelta(minutes=n)) for n in range(1, 7)]  # fmt: skip
        rows = _screened(world.a, *burst)
    assert rows[-1].moderation_spam > slow.moderation_spam
    assert "posting fast" in rows[-1].moderation_reasons or rows[-1].moderation_status == "published"


@pytest.mark.parametrize(
    "text", ["You are a stuuuupid 1d10t", "y o u  a r e  a  m o r o n", "f.u.c.k off, cl0wn", "ur such an ïdïøt"]
)
def test_obfuscated_toxic_text_is_scored_high(text):
    score, reasons = toxicity(text)
    assert score >= 0.5 and reasons


@pytest.mark.parametrize("text", [HAM, "Scunthorpe meetup on Friday", "The assessment classes start at 10"])
def test_ordinary_text_is_not_toxic(text):
    assert toxicity(text) == (0.0, [])


def test_toxic_text_is_flagged_or_held_by_the_listener(world):
    with community_scope(world.a.pk):
        member = _member(world.a, "Angry", days=30, activities=10)
        [row] = _screened(world.a, _post(world.a, member, 1, "you are a f.u.c.k.i.n.g 1d10t, go die"))
    assert row.moderation_toxicity >= 0.85 and row.moderation_status == "held"
    assert any(r.startswith("toxicity ") for r in row.moderation_reasons)


def test_thresholds_per_community_change_the_outcome(world):
    text = "you are a stupid clown"  # toxic enough to flag by default, not to hold
    with community_scope(world.b.pk):
        owner = Member.objects.get(community=world.b, user=world.charlie)
        moderation_thresholds_set(community=world.b, actor=Actor(world.b, owner.user_id, owner),
                                  toxicity_flag=0.3, toxicity_hold=0.4)  # fmt: skip
        strict = _screened(world.b, _post(world.b, _member(world.b, "B", days=30, activities=10), 1, text))[0]
    with community_scope(world.a.pk):
        lenient = _screened(world.a, _post(world.a, _member(world.a, "A", days=30, activities=10), 1, text))[0]
    assert lenient.moderation_toxicity == strict.moderation_toxicity
    assert lenient.moderation_status == "flagged" and strict.moderation_status == "held"


def test_thresholds_are_validated_and_admins_only(world):
    with community_scope(world.b.pk):
        owner = Member.objects.get(community=world.b, user=world.charlie)
        actor = Actor(world.b, owner.user_id, owner)
        with pytest.raises(ServiceError, match="spam_flag must not be above spam_hold"):
            moderation_thresholds_set(community=world.b, actor=actor, spam_flag=0.9, spam_hold=0.6)
        with pytest.raises(ServiceError, match="between 0 and 1"):
            moderation_thresholds_set(community=world.b, actor=actor, toxicity_flag=2)
        with pytest.raises(ServiceError, match="Unknown thresholds"):
            moderation_thresholds_set(community=world.b, actor=actor, banana=0.1)
    with community_scope(world.a.pk), pytest.raises(ServiceError):
        bob = world.bob_member
        moderation_thresholds_set(community=world.a, actor=Actor(world.a, bob.user_id, bob), spam_hold=0.1)


def test_screening_is_three_queries_whatever_the_batch_and_idempotent(world, django_assert_num_queries):
    for n in (1, 40):
        with community_scope(world.a.pk):
            items = [{"source": "github", "external_id": f"c{n}-{i}", "kind": "comment", "occurred_at": T0.isoformat(),
                      "body": HAM if i % 2 else SPAM, "identity": {"channel": "github", "external_id": f"gh{i % 5}"}}
                     for i in range(n)]  # fmt: skip
            ids = [r["id"] for r in activity_ingest(community=world.a, items=items)]
            rules_for(world.a)  # the watched words come from the cache (one query on a miss: test_watched_words)
            # rows with authors, author signals, one UPDATE; then one INSERT of queue items and one of their log entries
            with django_assert_num_queries(5):
                assert activities_screen(community=world.a, activity_ids=ids) == n
            before = list(Activity.objects.for_community(world.a).filter(pk__in=ids).values_list(
                "pk", "moderation_spam", "moderation_status", "moderation_reasons"))  # fmt: skip
            with django_assert_num_queries(1):  # re-delivered: nothing left unscreened, no write
                assert activities_screen(community=world.a, activity_ids=ids) == 0
            after = list(Activity.objects.for_community(world.a).filter(pk__in=ids).values_list(
                "pk", "moderation_spam", "moderation_status", "moderation_reasons"))  # fmt: skip
            assert before == after


def test_screening_under_another_communitys_scope_touches_nothing(world):
    with community_scope(world.a.pk):
        ids = [_post(world.a, world.bob_member, 1, SPAM)]
    with community_scope(world.b.pk):
        assert activities_screen(community=world.a, activity_ids=ids) == 0
    with community_scope(world.a.pk):
        assert Activity.objects.for_community(world.a).get(pk=ids[0]).moderation_scorer == ""


class EverythingIsSpam:
    name = "test-hosted"
    version = "7"

    def score(self, items):
        return [Verdict(spam=0.99, reasons=["hosted says so"]) for _ in items]


def test_a_scorer_plugged_in_by_settings_is_used(world, settings):
    settings.HEARTH_MODERATION_SCORERS = ["tests.moderation.test_screening.EverythingIsSpam"]
    base._scorers.cache_clear()
    try:
        assert isinstance(base.scorers()[0], base.Scorer)
        with community_scope(world.a.pk):
            [row] = _screened(world.a, _post(world.a, world.bob_member, 1, HAM))
    finally:
        base._scorers.cache_clear()
    assert row.moderation_scorer == "test-hosted@7" and row.moderation_status == "held"
    assert "hosted says so" in row.moderation_reasons


def test_trusted_staff_and_scorer_inputs_are_bounded():
    from moderation.scoring.spam import combine

    # No author signal alone turns ordinary text from a new member into spam.
    assert combine(0.05, ScoreInput(text=HAM, trust="new", brand_new=True, recent_posts=9))[0] < 0.5
