"""Recording and ingesting activities: idempotent, identity-resolving, exact counts, constant queries."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from community.models import Activity, Identity, Member, MergeSuggestion
from community.services.activities import activity_ingest, activity_record, url_is_valid
from community.tenancy import community_scope

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _item(n, **extra):
    identity = extra.pop("identity", {"channel": "github", "external_id": f"u{n % 7}", "handle": f"user{n % 7}"})
    return {
        "source": "github",
        "external_id": f"e{n}",
        "kind": "comment",
        "occurred_at": (T0 + timedelta(minutes=n)).isoformat(),
        "title": f"Comment {n}",
        "identity": identity,
        **extra,
    }


def test_activity_record_is_idempotent_on_source_and_external_id(world):
    with community_scope(world.a.pk):
        first = activity_record(
            community=world.a, member=world.bob_member, kind="post", source="forum", external_id="t1", occurred_at=T0
        )
        again = activity_record(
            community=world.a, member=world.bob_member, kind="post", source="forum", external_id="t1", occurred_at=T0
        )
        assert again.pk == first.pk
        assert Activity.objects.for_community(world.a).count() == 1
        member = Member.objects.get(pk=world.bob_member.pk)
        assert member.activity_count == 1
        assert member.last_active_at == T0


def test_ingest_creates_then_reports_existing(world):
    items = [_item(n) for n in range(3)]
    with community_scope(world.a.pk):
        first = activity_ingest(community=world.a, items=items)
        second = activity_ingest(community=world.a, items=items)
    assert [r["status"] for r in first] == ["created"] * 3
    assert [r["status"] for r in second] == ["existing"] * 3
    assert [r["id"] for r in first] == [r["id"] for r in second]


def test_bulk_ingest_of_thousands_with_duplicates_and_bad_rows_counts_exactly(world):
    good = [_item(n) for n in range(3000)]
    duplicates = [_item(n) for n in range(0, 3000, 10)]  # 300 repeats inside the batch
    bad = [
        {"source": "github", "kind": "comment"},  # no external_id, occurred_at, identity
        _item(9001, kind="nonsense"),
        _item(9002, occurred_at="yesterday"),
        _item(9003, identity={"channel": "github"}),
        "not an object",
    ] * 20
    items = []
    for index in range(3000):
        items.append(good[index])
        if index % 10 == 0:
            items.append(duplicates[index // 10])
        if index % 30 == 0 and index // 30 < len(bad):
            items.append(bad[index // 30])
    with community_scope(world.a.pk):
        results = []
        for start in range(0, len(items), 1000):
            results += activity_ingest(community=world.a, items=items[start : start + 1000])
        statuses = [r["status"] for r in results]
        assert statuses.count("created") == 3000
        assert statuses.count("existing") == 300
        assert statuses.count("error") == 100
        assert Activity.objects.for_community(world.a).count() == 3000
        assert Identity.objects.for_community(world.a).filter(channel="github").count() == 7
        assert sum(Member.objects.for_community(world.a).values_list("activity_count", flat=True)) == 3000
    assert all(r["errors"] for r in results if r["status"] == "error")


def test_ingest_query_count_is_constant_per_batch(world, django_assert_num_queries):
    def known(n):
        return _item(n, identity={"channel": "github", "external_id": "same"})

    def new(n):
        return _item(n, identity={"channel": "github", "external_id": f"new{n}", "email": f"p{n}@acme.test"})

    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=[known(0)])
        # existing activities, identities, insert, member counters
        with django_assert_num_queries(4):
            activity_ingest(community=world.a, items=[known(1)])
        with django_assert_num_queries(4):
            activity_ingest(community=world.a, items=[known(n) for n in range(2, 52)])
        # + verified emails (members and identities, one statement), organizations, members, identities,
        # suggestion candidates (no look-alike here, so no suggestion insert)
        with django_assert_num_queries(9):
            activity_ingest(community=world.a, items=[new(100)])
        with django_assert_num_queries(9):
            activity_ingest(community=world.a, items=[new(n) for n in range(200, 250)])
        # a re-post is one query
        with django_assert_num_queries(1):
            activity_ingest(community=world.a, items=[new(n) for n in range(200, 250)])


def test_exact_identity_matches_before_email(world):
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=[_item(1, identity={"channel": "discord", "external_id": "42"})])
        member_id = Identity.objects.for_community(world.a).get(channel="discord").member_id
        identity = {"channel": "discord", "external_id": "42", "email": "bob@example.com"}
        result = activity_ingest(community=world.a, items=[_item(2, identity=identity)])
        assert Activity.objects.get(pk=result[0]["id"]).member_id == member_id


def test_verified_email_attaches_a_new_identity_to_the_existing_member(world):
    identity = {"channel": "github", "external_id": "777", "handle": "bobby", "email": "Bob@Example.com"}
    with community_scope(world.a.pk):
        result = activity_ingest(community=world.a, items=[_item(1, identity=identity)])
        assert Activity.objects.get(pk=result[0]["id"]).member_id == world.bob_member.pk
        assert Identity.objects.get(channel="github", external_id="777").member_id == world.bob_member.pk


def test_unverified_email_does_not_attach(world):
    identity = {"channel": "github", "external_id": "778", "email": "bob@example.com", "email_verified": False}
    with community_scope(world.a.pk):
        result = activity_ingest(community=world.a, items=[_item(1, identity=identity)])
        assert Activity.objects.get(pk=result[0]["id"]).member_id != world.bob_member.pk


def test_same_handle_on_another_channel_is_suggested_not_merged(world):
    with community_scope(world.a.pk):
        activity_ingest(
            community=world.a, items=[_item(1, identity={"channel": "github", "external_id": "1", "handle": "Zed"})]
        )
        activity_ingest(
            community=world.a, items=[_item(2, identity={"channel": "discord", "external_id": "9", "handle": "zed"})]
        )
        assert Member.objects.for_community(world.a).filter(handle__iexact="zed").count() == 2
        suggestion = MergeSuggestion.objects.for_community(world.a).get()
        assert suggestion.reason == "same_handle"


def test_same_name_without_handle_is_suggested(world):
    with community_scope(world.a.pk):
        activity_ingest(
            community=world.a, items=[_item(1, identity={"channel": "reddit", "external_id": "r", "name": "Bob"})]
        )
        suggestion = MergeSuggestion.objects.for_community(world.a).get()
        assert (suggestion.other_id, suggestion.reason) == (world.bob_member.pk, "same_name")


def test_a_common_name_queues_at_most_five_suggestions(world):
    with community_scope(world.a.pk):
        Member.objects.bulk_create([Member(community=world.a, display_name="Alex") for _ in range(8)])
        activity_ingest(
            community=world.a, items=[_item(1, identity={"channel": "reddit", "external_id": "r9", "name": "ALEX"})]
        )
        new = Member.objects.for_community(world.a).get(identities__external_id="r9")
        suggestions = MergeSuggestion.objects.for_community(world.a).filter(member=new)
        assert suggestions.count() == 5
        assert set(suggestions.values_list("reason", flat=True)) == {"same_name"}


def test_extra_round_trips_as_an_object(world):
    with community_scope(world.a.pk):
        [result] = activity_ingest(community=world.a, items=[_item(1, extra={"labels": ["bug"], "emoji": "🔥é"})])
        assert Activity.objects.get(pk=result["id"]).extra == {"labels": ["bug"], "emoji": "🔥é"}


def test_ingest_stores_text_unscored_for_the_activity_listeners(world):
    # Scoring left the request: the core stores the text, the app listening for new activities scores it later
    # (tests/insights/test_sentiment_scoring.py).
    with community_scope(world.a.pk):
        [result] = activity_ingest(community=world.a, items=[_item(1, body="I love this release, great work!")])
        stored = Activity.objects.for_community(world.a).get(pk=result["id"])
    assert (stored.sentiment, stored.sentiment_label, stored.sentiment_analyser, stored.language) == (None, "", "", "")


def test_sentiment_given_by_the_source_is_kept(world):
    items = [
        _item(1, body="I love this release, great work!", sentiment=-0.7),
        _item(2, body="I love this release, great work!", sentiment_label="neutral"),
        _item(3, body="I love this release, great work!", sentiment={"score": 0.01, "label": "positive"}),
        _item(4, body="I love this release, great work!", sentiment={"score": 0.3}),
    ]
    with community_scope(world.a.pk):
        first, second, third, fourth = (
            Activity.objects.for_community(world.a).get(pk=r["id"])
            for r in activity_ingest(community=world.a, items=items)
        )
    assert (first.sentiment, first.sentiment_label, first.sentiment_analyser) == (-0.7, "negative", "source@1")
    # A label without a score is no sentiment object: left for the analyser.
    assert (second.sentiment, second.sentiment_label, second.sentiment_analyser) == (None, "", "")
    assert (third.sentiment, third.sentiment_label, third.sentiment_analyser) == (0.01, "positive", "source@1")
    assert (fourth.sentiment, fourth.sentiment_label) == (0.3, "positive")


def test_activity_without_text_has_no_sentiment(world):
    with community_scope(world.a.pk):
        [result] = activity_ingest(community=world.a, items=[_item(1, kind="star", title="")])
        activity = Activity.objects.for_community(world.a).get(pk=result["id"])
    assert activity.sentiment is None and activity.sentiment_label == ""


def test_an_invalid_source_sentiment_is_a_field_error(world):
    items = [
        _item(1, sentiment=3),
        _item(2, sentiment="happy"),
        _item(3, sentiment={"score": 0.5, "label": "ecstatic"}),
        _item(4, sentiment={"label": "positive"}),
        _item(5, sentiment={"score": -1.5}),
    ]
    with community_scope(world.a.pk):
        results = activity_ingest(community=world.a, items=items)
        assert not Activity.objects.for_community(world.a).exists()
    assert [list(r["errors"]) for r in results] == [
        ["sentiment"], ["sentiment"], ["sentiment_label"], ["sentiment"], ["sentiment"]
    ]  # fmt: skip


URLS = [
    "https://github.com/acme/app/issues/12",
    "http://a.b.example.co.uk/path?q=1&x=%20#frag",
    "https://example.com",
    "https://EXAMPLE.com/Upper/Case",
    "https://-bad.example.com/",
    "https://bad-.example.com/",
    "https://example.c/",
    "https://example.123/",
    "https://" + "a" * 64 + ".example.com/",
    "https://" + ("a" * 60 + ".") * 5 + "com/",
    "https://example.com/" + "p" * 2100,
    "https://example.com/with space",
    "https://example.com/tab\there",
    "https://example.com:8080/port",
    "https://user:pass@example.com/",
    "https://127.0.0.1/ip",
    "https://[::1]/ip6",
    "https://bücher.example/idn",
    "https://localhost/",
    "ftp://example.com/",
    "http\u017f://example.com/",  # long s: folds to "s" under IGNORECASE, never a scheme
    "javascript:alert(1)",
    "https://example.com/@user/ünïcode",
    "https://example.com?no-slash",
    "HTTPS://EXAMPLE.COM/",
]


def test_fast_url_check_agrees_with_djangos_validator():
    django_valid = URLValidator(schemes=["http", "https"])

    def by_django(url):
        try:
            django_valid(url)
        except ValidationError:
            return False
        return True

    assert [url_is_valid(url) for url in URLS] == [by_django(url) for url in URLS]


def test_a_hostile_avatar_url_is_dropped_and_the_activity_kept(world):
    avatars = [
        "javascript:alert(1)",
        "data:image/svg+xml,<svg onload=alert(1)>",
        "/relative.png",
        "https://cdn.example.com/a.png",
    ]
    items = [
        _item(10 + n, identity={"channel": "discord", "external_id": f"av{n}", "avatar_url": url})
        for n, url in enumerate(avatars)
    ]
    with community_scope(world.a.pk):
        results = activity_ingest(community=world.a, items=items)
        assert [r["status"] for r in results] == ["created"] * 4
        stored = dict(
            Member.objects.for_community(world.a)
            .filter(identities__external_id__startswith="av")
            .values_list("identities__external_id", "avatar_url")
        )
    assert stored == {"av0": "", "av1": "", "av2": "", "av3": "https://cdn.example.com/a.png"}
