"""Votes: one per member (even when two arrive at once), removable, on behalf of a member, recorded as activities."""

import threading

import pytest
from django.db import connection, transaction

from community.errors import ServiceError
from community.models import Activity, Member
from community.policy import SILENCED_TAG
from community.tenancy import community_scope
from feedback.models import Idea, Vote
from feedback.services.ideas import idea_post
from feedback.services.votes import vote_cast, vote_remove
from tests.discussions.conftest import actor_for

pytestmark = pytest.mark.django_db


def test_a_vote_counts_once_and_is_an_activity_of_the_member(fbs):
    m = fbs
    idea = m.post(m.bob)
    vote, created = vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    again, created_again = vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea, importance="critical")
    assert created and not created_again and vote.pk == again.pk
    assert Idea.objects.get(pk=idea.pk).vote_count == 1
    assert Vote.objects.get(pk=vote.pk).importance == "critical"
    kinds = set(Activity.objects.for_community(m.a).filter(member=m.carol).values_list("kind", flat=True))
    assert kinds == {"vote"}
    assert Activity.objects.for_community(m.a).filter(member=m.bob, kind="idea").count() == 1


def test_unvote_removes_the_vote_and_the_count(fbs):
    m = fbs
    idea = m.post(m.bob)
    vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    assert vote_remove(community=m.a, actor=actor_for(m.a, m.carol), idea=idea) is True
    assert vote_remove(community=m.a, actor=actor_for(m.a, m.carol), idea=idea) is False
    assert Idea.objects.get(pk=idea.pk).vote_count == 0
    assert not Vote.objects.for_community(m.a).exists()


def test_staff_vote_on_behalf_is_recorded_as_such_and_members_cannot(fbs):
    m = fbs
    idea = m.post(m.bob)
    vote, _ = vote_cast(community=m.a, actor=actor_for(m.a, m.mia), idea=idea, member=m.dan, importance="important")
    assert vote.member_id == m.dan.pk and vote.on_behalf and vote.on_behalf_by_id == m.mia.pk
    with pytest.raises(ServiceError) as error:
        vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea, member=m.dan)
    assert error.value.code == "permission_denied"
    assert Idea.objects.get(pk=idea.pk).vote_count == 1


def test_a_member_cannot_vote_on_a_staff_board(fbs):
    m = fbs
    idea = m.post(m.mia, board=m.staff_board)
    with pytest.raises(ServiceError) as error:
        vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    assert error.value.code == "not_found"
    with pytest.raises(ServiceError):  # nor can staff vote for them there
        vote_cast(community=m.a, actor=actor_for(m.a, m.mia), idea=idea, member=m.carol)
    assert Idea.objects.get(pk=idea.pk).vote_count == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_votes_by_one_member_count_once(fb):
    """Two threads, two connections, released together: one vote row, vote_count 1, one activity."""
    m = fb
    idea = m.post(m.bob)
    barrier = threading.Barrier(2)
    results = []

    def vote():
        try:
            with transaction.atomic(), community_scope(m.a.pk):
                barrier.wait(timeout=10)
                _, created = vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
                connection.cursor().execute("SELECT pg_sleep(0.2)")  # hold the transaction so the other waits
            results.append(created)
        except Exception as error:  # reported by the assertion below
            results.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results, key=str) == [False, True]
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=idea.pk).vote_count == 1
        assert Vote.objects.for_community(m.a).filter(idea=idea, member=m.carol).count() == 1
        assert Activity.objects.for_community(m.a).filter(member=m.carol, kind="vote").count() == 1


def test_a_silenced_member_neither_votes_nor_posts_ideas(fbs):
    m = fbs
    idea = m.post(m.bob)
    Member.objects.filter(pk=m.carol.pk).update(tags=[SILENCED_TAG])
    carol = Member.objects.get(pk=m.carol.pk)
    with pytest.raises(ServiceError):
        vote_cast(community=m.a, actor=actor_for(m.a, carol), idea=idea)
    with pytest.raises(ServiceError):
        idea_post(community=m.a, actor=actor_for(m.a, carol), board=m.board, title="x", body="y")
    assert Idea.objects.get(pk=idea.pk).vote_count == 0
