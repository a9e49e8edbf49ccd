"""Trust levels: computed set-based from activity on every channel, lowered by upheld flags, locked by staff; level 0
cannot post links or images and has its first posts held; rate limits per level through pages and API."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.errors import ServiceError
from community.models import Activity
from community.tenancy import community_scope
from discussions.models import Topic
from discussions.services import replies, topics
from moderation.models import ItemStatus, MemberTrust, QueueItem
from moderation.services.posting_rules import posting_limits_set
from moderation.services.trust import trust_level_of, trust_levels_compute, trust_lock
from moderation.tasks import compute_trust_levels_fanout_task
from tests.factories import add_member, make_api_key, make_user

pytestmark = pytest.mark.django_db
NEW_TOPIC = {"kind": "discussion", "poll_results": "always"}


def _newbie(m, name="newbie"):
    return add_member(m.a, make_user(f"{name}@example.com"), display_name=name)


def _acts(m, member, *, days=0, replies_=0, reactions=0, answers=0, channel="discord"):
    now = timezone.now()
    rows = [
        Activity(
            community=m.a,
            member=member,
            kind="post",
            channel=channel,
            source=channel,
            external_id=f"{member.pk}-d{i}",
            occurred_at=now - timedelta(days=i),
        )
        for i in range(days)
    ]
    rows += [
        Activity(
            community=m.a,
            member=member,
            kind="comment",
            channel="youtube",
            source="youtube",
            external_id=f"{member.pk}-r{i}",
            occurred_at=now,
        )
        for i in range(replies_)
    ]
    rows += [
        Activity(
            community=m.a,
            member=m.carol,
            kind="reaction",
            channel=channel,
            source=channel,
            external_id=f"{member.pk}-x{i}",
            parent_external_id=f"{member.pk}-d0",
            occurred_at=now,
        )
        for i in range(reactions)
    ]
    rows += [Activity(community=m.a, member=member, kind="accepted_answer", channel="forum", source="forum",
                      external_id=f"{member.pk}-a{i}", occurred_at=now) for i in range(answers)]  # fmt: skip
    with community_scope(m.a.pk):
        Activity.objects.bulk_create(rows)


def _level(m, member):
    with community_scope(m.a.pk):
        return trust_level_of(community=m.a, member=member)


def test_levels_are_earned_from_activity_on_every_channel(mod):
    m = mod
    one, two, three, four = (_newbie(m, n) for n in ("one", "two", "three", "four"))
    _acts(m, one, days=2, replies_=1)
    _acts(m, two, days=10, replies_=3, reactions=1)
    _acts(m, three, days=50, replies_=10, reactions=10)
    _acts(m, four, days=100, replies_=30, reactions=30, answers=3)
    fresh = _newbie(m, "fresh")
    with community_scope(m.a.pk):
        trust_levels_compute(community=m.a)
        stats = MemberTrust.objects.for_community(m.a).get(member=two).stats
    assert [_level(m, x) for x in (fresh, one, two, three, four)] == [0, 1, 2, 3, 4]
    assert stats == {"days_active": 10, "replies": 3, "reactions_received": 1, "accepted_answers": 0,
                     "upheld_flags": 0}  # fmt: skip


def test_reactions_by_the_member_themself_do_not_count(mod):
    member = _newbie(mod)
    _acts(mod, member, days=10, replies_=3)
    with community_scope(mod.a.pk):
        Activity.objects.create(community=mod.a, member=member, kind="reaction", channel="discord", source="discord",
                                external_id="self", parent_external_id=f"{member.pk}-d0", occurred_at=timezone.now())  # fmt: skip
        trust_levels_compute(community=mod.a)
    assert _level(mod, member) == 1


def test_upheld_flags_lower_the_level(mod):
    member = _newbie(mod)
    _acts(mod, member, days=50, replies_=10, reactions=10)
    with community_scope(mod.a.pk):
        QueueItem.objects.bulk_create([
            QueueItem(community=mod.a, subject_kind="topic", subject_id=i, source="flag", author=member,
                      status=ItemStatus.HIDDEN, resolved_at=timezone.now())
            for i in (1, 2)
        ] + [QueueItem(community=mod.a, subject_kind="topic", subject_id=3, source="flag", author=member,
                       status=ItemStatus.APPROVED, resolved_at=timezone.now())])  # fmt: skip
        trust_levels_compute(community=mod.a)
    assert _level(mod, member) == 1  # earned 3, two upheld


@pytest.mark.parametrize("members", [1, 40])
def test_the_computation_is_one_statement_whatever_the_members(mod, members, django_assert_num_queries):
    for i in range(members):
        _acts(mod, _newbie(mod, f"m{i}"), days=2, replies_=1)
    with community_scope(mod.a.pk):
        with django_assert_num_queries(1):
            written = trust_levels_compute(community=mod.a)
        assert written == members + 5  # alice, bob, carol, mia, max too
        assert MemberTrust.objects.for_community(mod.a).filter(level=1).count() == members


def test_a_locked_level_is_not_recomputed(mod):
    member = _newbie(mod)
    _acts(mod, member, days=50, replies_=10, reactions=10)
    with community_scope(mod.a.pk):
        trust_lock(community=mod.a, actor=mod.actor(mod.mia), member=member, level=1, locked=True)
        trust_levels_compute(community=mod.a)
        assert trust_level_of(community=mod.a, member=member) == 1
        trust_lock(community=mod.a, actor=mod.actor(mod.mia), member=member, level=None, locked=False)
        trust_levels_compute(community=mod.a)
        assert trust_level_of(community=mod.a, member=member) == 3


def test_the_beat_recomputes_every_community(mod, eager_celery):
    member = _newbie(mod)
    _acts(mod, member, days=2, replies_=1)
    assert compute_trust_levels_fanout_task.delay().get() >= 2
    assert _level(mod, member) == 1


def test_staff_lock_a_level_on_the_members_page(mod, client):
    member = _newbie(mod)
    client.force_login(mod.mia.user)
    page_url = f"/c/{mod.a.slug}/manage/moderation/members/{member.pk}/"
    assert "Trust level 0" in client.get(page_url).content.decode()
    client.post(f"{page_url}trust/", {"do": "lock", "level": "3"})
    assert _level(mod, member) == 3 and "locked by mia" in client.get(page_url).content.decode()
    client.force_login(mod.carol.user)
    assert client.post(f"{page_url}trust/", {"do": "lock", "level": "4"}).status_code == 403
    assert _level(mod, member) == 3


def test_staff_lock_a_level_through_the_api(mod):
    member = _newbie(mod)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(mod.a, scopes=['moderation:write'])[1]}")
    locked = api.post("/api/v1/moderation/trust/lock/", {"member_id": member.pk, "level": 2}, format="json")
    assert locked.status_code == 200 and locked.json()["level"] == 2 and locked.json()["locked"] is True
    listed = api.get(f"/api/v1/moderation/trust/?member_id={member.pk}").json()["results"]
    assert [(r["member_id"], r["level"]) for r in listed] == [(member.pk, 2)]
    bad = api.post("/api/v1/moderation/trust/lock/", {"member_id": member.pk, "level": 7}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Bearer {make_api_key(mod.a, scopes=['moderation:read'])[1]}")
    assert (
        reader.post("/api/v1/moderation/trust/lock/", {"member_id": member.pk, "level": 4}, format="json").status_code
        == 403
    )
    assert _level(mod, member) == 2


@pytest.mark.parametrize("body", ["see https://example.com", "see example.com", "![x](/img.png)", "[here](/x)"])
def test_level_0_cannot_post_links_or_images(mod, body):
    member = _newbie(mod)
    with community_scope(mod.a.pk), pytest.raises(ServiceError, match="cannot post links or images"):
        replies.reply_create(community=mod.a, actor=mod.actor(member), topic=mod.topic, body=body)


def test_level_0_link_refused_through_page_and_api(mod, client):
    member = _newbie(mod)
    client.force_login(member.user)
    page = client.post(
        f"/c/{mod.a.slug}/d/s/general/new/", {"title": "Look", "body": "http://spam.example", **NEW_TOPIC}
    )
    assert page.status_code == 400 and "cannot post links or images" in page.content.decode()
    api = APIClient()
    api.force_login(member.user)
    response = api.post(f"/api/v1/c/{mod.a.slug}/topics/",
                        {"space_id": mod.general.pk, "title": "Look", "body": "www.spam.example"}, format="json")  # fmt: skip
    assert response.status_code == 400 and "cannot post links" in response.json()["error"]["message"]
    with community_scope(mod.a.pk):
        assert not Topic.objects.for_community(mod.a).filter(title="Look").exists()


def test_level_1_may_post_links(mod):
    member = _newbie(mod)
    with community_scope(mod.a.pk):
        MemberTrust.objects.create(community=mod.a, member=member, level=1)
        reply = replies.reply_create(community=mod.a, actor=mod.actor(member), topic=mod.topic, body="https://x.org")
    assert reply.deleted_at is None


def test_level_0_first_posts_are_held_for_review(mod):
    member = _newbie(mod)
    with community_scope(mod.a.pk):
        actor = mod.actor(member)
        first = replies.reply_create(community=mod.a, actor=actor, topic=mod.topic, body="Hello, first post")
        topic = topics.topic_create(community=mod.a, actor=actor, space=mod.general, title="Second", body="Hi")
        item = QueueItem.objects.for_community(mod.a).get(subject_kind="reply", subject_id=first.pk)
        # the third post is past the default of two held posts
        posting_limits_set(community=mod.a, actor=mod.actor(mod.alice), rate_limits={0: {"replies_per_minute": 9}})
        third = replies.reply_create(community=mod.a, actor=actor, topic=mod.topic, body="Third")
    assert first.deleted_at is not None and topic.deleted_at is not None and third.deleted_at is None
    assert (
        item.source == "trust"
        and item.content_hidden
        and item.reasons == ["first posts of a new member (trust level 0)"]
    )


def test_rate_limit_message_through_the_page(mod, client):
    member = _newbie(mod)
    with community_scope(mod.a.pk):
        MemberTrust.objects.create(community=mod.a, member=member, level=2)  # 3 topics a minute
    client.force_login(member.user)
    for i in range(3):
        assert (
            client.post(f"/c/{mod.a.slug}/d/s/general/new/", {"title": f"T{i}", "body": "x", **NEW_TOPIC}).status_code
            == 302
        )
    page = client.post(f"/c/{mod.a.slug}/d/s/general/new/", {"title": "T3", "body": "x", **NEW_TOPIC})
    assert page.status_code == 400
    assert "You have reached the limit of 3 topics a minute for members at trust level 2." in page.content.decode()


def test_rate_limit_is_a_429_through_the_api(mod):
    member = _newbie(mod)
    with community_scope(mod.a.pk):
        MemberTrust.objects.create(community=mod.a, member=member, level=1)
        posting_limits_set(community=mod.a, actor=mod.actor(mod.alice), rate_limits={1: {"replies_per_day": 2}})
    api = APIClient()
    api.force_login(member.user)
    url = f"/api/v1/c/{mod.a.slug}/topics/{mod.topic.pk}/replies/"
    assert [api.post(url, {"body": f"r{i}"}, format="json").status_code for i in range(2)] == [201, 201]
    refused = api.post(url, {"body": "one more"}, format="json")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert refused.json()["error"]["message"].startswith("You have reached the limit of 2 replies a day")


def test_staff_are_not_rate_limited_nor_held(mod):
    with community_scope(mod.a.pk):
        posted = [replies.reply_create(community=mod.a, actor=mod.actor(mod.mia), topic=mod.topic, body=f"see https://x.org {i}")
                  for i in range(12)]  # fmt: skip
    assert all(r.deleted_at is None for r in posted)


def test_posting_limits_are_validated(mod):
    with community_scope(mod.a.pk):
        with pytest.raises(ServiceError, match="whole number"):
            posting_limits_set(community=mod.a, actor=mod.actor(mod.alice), rate_limits={0: {"topics_per_day": -1}})
        with pytest.raises(ServiceError, match="do not allow"):
            posting_limits_set(community=mod.a, actor=mod.actor(mod.mia), hold_first_posts=0)


def test_a_member_the_beat_has_not_seen_is_computed_on_their_first_post(mod, django_assert_num_queries):
    veteran, newcomer = _newbie(mod, "veteran"), _newbie(mod, "newcomer")
    _acts(mod, veteran, days=10, replies_=3, reactions=1)
    with community_scope(mod.a.pk):
        with django_assert_num_queries(2):  # no row yet: read, then compute this member alone
            assert trust_level_of(community=mod.a, member=veteran) == 2
        with django_assert_num_queries(1):
            assert trust_level_of(community=mod.a, member=veteran) == 2
        assert trust_level_of(community=mod.a, member=newcomer) == 0
        computed = set(MemberTrust.objects.for_community(mod.a).values_list("member_id", flat=True))
        assert computed == {mod.bob.pk, mod.carol.pk, veteran.pk, newcomer.pk}  # nobody else (bob, carol: fixture)
        reply = replies.reply_create(community=mod.a, actor=mod.actor(veteran), topic=mod.topic, body="https://x.org")
    assert reply.deleted_at is None
