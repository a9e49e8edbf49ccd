"""The review queue: one item per subject, priority, claims (one winner), decisions, bulk, refusals, query counts."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from community.errors import ServiceError
from community.tenancy import community_scope
from discussions.models import Reply, Topic
from moderation.models import Flag, FlagOutcome, ItemStatus, LogEntry, QueueItem
from moderation.services.flags import flag_create
from moderation.services.queue import (
    queue_item_act,
    queue_item_claim,
    queue_item_open,
    queue_items_bulk_act,
)
from tests.discussions.conftest import actor_for
from tests.factories import add_member

from .conftest import post_topic

pytestmark = pytest.mark.django_db


def test_opening_twice_gives_one_item_with_merged_reasons_and_latest_score(scoped):
    m = scoped
    first = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, reasons=["links"], spam=0.7)
    again = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, reasons=["velocity"], spam=0.9)
    assert first.pk == again.pk
    item = QueueItem.objects.get(pk=first.pk)
    assert item.reasons == ["links", "velocity"]
    assert item.spam == 0.9 and item.priority == pytest.approx(9.0)
    assert item.author_id == m.bob.pk and item.excerpt == "Buy cheap watches"
    assert QueueItem.objects.for_community(m.a).count() == 1


def test_a_decided_subject_opens_a_new_item_next_time(scoped):
    m = scoped
    item = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, reasons=["x"], spam=0.6)
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=item, action="approve")
    later = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, reasons=["y"], spam=0.8)
    assert later.pk != item.pk and later.status == ItemStatus.OPEN


def test_scores_out_of_range_and_unknown_subjects_are_refused(scoped):
    m = scoped
    with pytest.raises(ServiceError) as error:
        queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, spam=1.5)
    assert error.value.field == "spam"
    with pytest.raises(ServiceError) as error:
        queue_item_open(community=m.a, subject_kind="topic", subject_id=999999)
    assert error.value.code == "not_found"
    with pytest.raises(ServiceError):
        queue_item_open(community=m.a, subject_kind="poll", subject_id=m.topic.pk)


def test_a_claimed_item_refuses_another_moderator_until_released(scoped):
    m = scoped
    item = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, spam=0.9)
    queue_item_claim(community=m.a, actor=actor_for(m.a, m.mia), item=item)
    with pytest.raises(ServiceError) as error:
        queue_item_act(community=m.a, actor=actor_for(m.a, m.max), item=item, action="approve")
    assert error.value.code == "conflict"
    assert QueueItem.objects.get(pk=item.pk).status == ItemStatus.OPEN
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=item, action="approve")
    assert QueueItem.objects.get(pk=item.pk).status == ItemStatus.APPROVED


def test_an_expired_claim_can_be_taken_over(scoped):
    m = scoped
    item = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, spam=0.9)
    queue_item_claim(community=m.a, actor=actor_for(m.a, m.mia), item=item)
    QueueItem.objects.filter(pk=item.pk).update(claimed_until="2000-01-01T00:00Z")
    queue_item_claim(community=m.a, actor=actor_for(m.a, m.max), item=item)
    assert QueueItem.objects.get(pk=item.pk).claimed_by_id == m.max.pk


@pytest.mark.django_db(transaction=True)
def test_two_moderators_claiming_at_once_give_one_winner(mod):
    """Two threads, two database connections, released together by a barrier: one claim wins, one conflicts."""
    m = mod
    with community_scope(m.a.pk), transaction.atomic():
        item = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, spam=0.9)
    barrier = threading.Barrier(2)
    results = {}

    def claim(member):
        try:
            with transaction.atomic(), community_scope(m.a.pk):
                barrier.wait(timeout=10)
                queue_item_claim(community=m.a, actor=actor_for(m.a, member), item=item)
                # Hold the row lock a moment so the other UPDATE really waits on it, then re-checks its WHERE.
                connection.cursor().execute("SELECT pg_sleep(0.2)")
            results[member.pk] = "won"
        except ServiceError as error:
            results[member.pk] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(who,)) for who in (m.mia, m.max)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results.values()) == ["conflict", "won"]
    winner = next(pk for pk, r in results.items() if r == "won")
    with community_scope(m.a.pk):
        assert QueueItem.objects.get(pk=item.pk).claimed_by_id == winner


def test_hide_hides_the_reply_and_approve_shows_it_again(scoped):
    m = scoped
    mia = actor_for(m.a, m.mia)
    item = queue_item_open(community=m.a, subject_kind="reply", subject_id=m.reply.pk, toxicity=0.8)
    queue_item_act(community=m.a, actor=mia, item=item, action="hide", reason="rude")
    assert Reply.objects.get(pk=m.reply.pk).deleted_at is not None
    assert QueueItem.objects.get(pk=item.pk).status == ItemStatus.HIDDEN
    again = queue_item_open(community=m.a, subject_kind="reply", subject_id=m.reply.pk, reasons=["appeal by mail"])
    QueueItem.objects.filter(pk=again.pk).update(content_hidden=True)
    queue_item_act(community=m.a, actor=mia, item=again, action="approve")
    assert Reply.objects.get(pk=m.reply.pk).deleted_at is None


def test_reject_removes_through_the_forum_delete_and_agrees_with_the_flags(scoped):
    m = scoped
    flag = flag_create(
        community=m.a, actor=actor_for(m.a, m.carol), subject_kind="topic", subject_id=m.topic.pk, reason="spam"
    )
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=flag.item, action="reject", reason="spam")
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is not None
    assert Flag.objects.get(pk=flag.pk).outcome == FlagOutcome.AGREED
    entry = LogEntry.objects.for_community(m.a).filter(action="queue.reject").get()
    assert entry.actor_member_id == m.mia.pk and entry.reason == "spam" and entry.target_member_id == m.bob.pk
    assert entry.before["status"] == "open" and entry.after["status"] == "rejected"


def test_disagree_and_ignore_set_the_flags_outcome_and_leave_the_post(scoped):
    m = scoped
    carol = actor_for(m.a, m.carol)
    flag = flag_create(community=m.a, actor=carol, subject_kind="topic", subject_id=m.topic.pk, reason="spam")
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=flag.item, action="disagree")
    assert Flag.objects.get(pk=flag.pk).outcome == FlagOutcome.DISAGREED
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is None
    other = flag_create(community=m.a, actor=carol, subject_kind="reply", subject_id=m.reply.pk, reason="abuse")
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=other.item, action="ignore")
    assert Flag.objects.get(pk=other.pk).outcome == FlagOutcome.IGNORED
    assert QueueItem.objects.get(pk=other.item_id).status == ItemStatus.IGNORED


def test_lock_locks_the_topic_of_a_reply_and_keeps_the_item_open(scoped):
    m = scoped
    item = queue_item_open(community=m.a, subject_kind="reply", subject_id=m.reply.pk, toxicity=0.9)
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=item, action="lock")
    assert Topic.objects.get(pk=m.reply.topic_id).locked is True
    assert QueueItem.objects.get(pk=item.pk).status == ItemStatus.OPEN


def test_a_member_cannot_act_and_nothing_changes(scoped):
    m = scoped
    item = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, spam=0.9)
    with pytest.raises(ServiceError) as error:
        queue_item_act(community=m.a, actor=actor_for(m.a, m.carol), item=item, action="reject")
    assert error.value.code == "permission_denied"
    assert QueueItem.objects.get(pk=item.pk).status == ItemStatus.OPEN
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is None


def test_bulk_skips_items_held_by_someone_else(scoped):
    m = scoped
    one = queue_item_open(community=m.a, subject_kind="topic", subject_id=m.topic.pk, spam=0.9)
    two = queue_item_open(community=m.a, subject_kind="reply", subject_id=m.reply.pk, spam=0.9)
    queue_item_claim(community=m.a, actor=actor_for(m.a, m.max), item=two)
    result = queue_items_bulk_act(
        community=m.a, actor=actor_for(m.a, m.mia), item_ids=[one.pk, two.pk], action="approve"
    )
    assert result == {"done": [one.pk], "skipped": [two.pk]}
    assert QueueItem.objects.get(pk=two.pk).status == ItemStatus.OPEN


def _fill(m, n):
    for i in range(n):
        author = add_member(m.a, None, display_name=f"author{i}")
        topic = post_topic(m.forum, author, f"Spam {i}", "buy now")
        with community_scope(m.a.pk):
            item = queue_item_open(community=m.a, subject_kind="topic", subject_id=topic.pk, spam=0.5 + i / 200)
            Flag.objects.create(
                community=m.a, subject_kind="topic", subject_id=topic.pk, reporter=m.carol, reason="spam", item=item
            )


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fn()
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize("surface", ["page", "api"])
def test_queue_queries_are_the_same_for_one_and_many_items(mod, client, surface):
    m = mod
    _fill(m, 1)
    if surface == "page":
        client.force_login(m.mia.user)
        fetch = lambda: client.get(f"/c/{m.a.slug}/manage/moderation/")  # noqa: E731
    else:
        api = APIClient()
        api.force_authenticate(m.mia.user)
        fetch = lambda: api.get(f"/api/v1/c/{m.a.slug}/moderation/queue/")  # noqa: E731
    one = _count(fetch)
    _fill(m, 30)
    many = _count(fetch)
    assert one == many
    if surface == "api":
        assert len(fetch().json()["results"]) == 31
