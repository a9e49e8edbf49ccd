"""Ideas: posting, the status change that tells exactly voters and followers, merges with exact totals, evidence,
similar ideas."""

import pytest
from django.core import mail

from community.errors import ServiceError
from community.models import Activity
from discussions.models import Notification, Reply, Topic
from discussions.services.notifications import notification_emails_send
from discussions.services.replies import reply_create
from feedback import selectors
from feedback.models import Evidence, Follower, Idea, IdeaStatus, Vote
from feedback.services.evidence import evidence_attach, idea_from_activity
from feedback.services.ideas import idea_follow, idea_status_change
from feedback.services.merges import idea_merge
from feedback.services.votes import vote_cast
from tests.discussions.conftest import actor_for
from tests.factories import add_member, make_user

pytestmark = pytest.mark.django_db


def _status(m, key):
    return IdeaStatus.objects.for_community(m.a).get(key=key)


def test_posting_makes_a_topic_in_the_boards_ideas_space_with_default_statuses(fbs):
    m = fbs
    idea = m.post(m.bob)
    topic = Topic.objects.get(pk=idea.topic_id)
    assert topic.space_id == m.board.space_id and topic.space.kind == "ideas"
    assert idea.status.key == "open"
    keys = list(IdeaStatus.objects.for_community(m.a).values_list("key", flat=True))
    assert keys == ["open", "under-review", "planned", "in-progress", "shipped", "declined"]
    assert Follower.objects.for_community(m.a).filter(idea=idea, member=m.bob).exists()


def test_status_change_notifies_exactly_voters_and_followers(fbs):
    m = fbs
    idea = m.post(m.bob)  # bob follows as the author
    vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    idea_follow(community=m.a, actor=actor_for(m.a, m.dan), idea=idea)
    outsider = add_member(m.a, make_user("olga@example.com"), display_name="olga")
    idea_status_change(community=m.a, actor=actor_for(m.a, m.mia), idea=idea, status=_status(m, "planned"))
    notes = Notification.objects.for_community(m.a).filter(kind="status", topic_id=idea.topic_id)
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted([m.bob.pk, m.carol.pk, m.dan.pk])
    assert outsider.pk not in set(notes.values_list("recipient_id", flat=True))
    assert Idea.objects.get(pk=idea.pk).status.key == "planned"
    # And by email (the forum's notification mail, which the worker sends on commit).
    sent = notification_emails_send(community=m.a, notification_ids=list(notes.values_list("pk", flat=True)))
    assert sent == 3 and sorted(msg.to[0] for msg in mail.outbox) == sorted(
        ["bob@example.com", "carol@example.com", "dan@example.com"]
    )


def test_setting_the_same_status_again_notifies_nobody(fbs):
    m = fbs
    idea = m.post(m.bob)
    idea_status_change(community=m.a, actor=actor_for(m.a, m.mia), idea=idea, status=_status(m, "open"))
    assert not Notification.objects.for_community(m.a).filter(kind="status").exists()


def test_members_cannot_change_status(fbs):
    m = fbs
    idea = m.post(m.bob)
    with pytest.raises(ServiceError):
        idea_status_change(community=m.a, actor=actor_for(m.a, m.bob), idea=idea, status=_status(m, "shipped"))
    assert Idea.objects.get(pk=idea.pk).status.key == "open"


def test_merge_carries_votes_without_double_votes_followers_and_replies(fbs):
    m = fbs
    target = m.post(m.bob, "Dark mode", "A dark theme please")
    source = m.post(m.carol, "Night theme", "Dark colours at night")
    # dan votes on both (counts once after), carol on the target only via her source authorship, mia on source.
    for who in (m.dan,):
        vote_cast(community=m.a, actor=actor_for(m.a, who), idea=target)
    for who in (m.dan, m.alice):
        vote_cast(community=m.a, actor=actor_for(m.a, who), idea=source)
    vote_cast(community=m.a, actor=actor_for(m.a, m.mia), idea=source, member=m.bob)  # bob: on behalf, on source
    reply_create(community=m.a, actor=actor_for(m.a, m.alice), topic=Topic.objects.get(pk=source.topic_id), body="+1")
    merged = idea_merge(community=m.a, actor=actor_for(m.a, m.mia), source=source, target=target)
    voters = set(Vote.objects.for_community(m.a).filter(idea=target).values_list("member_id", flat=True))
    assert voters == {m.dan.pk, m.alice.pk, m.bob.pk}
    assert merged.vote_count == 3 == Vote.objects.for_community(m.a).filter(idea=target).count()
    assert not Vote.objects.for_community(m.a).filter(idea=source).exists()
    source.refresh_from_db()
    assert source.merged_into_id == target.pk and source.vote_count == 0
    followers = set(Follower.objects.for_community(m.a).filter(idea=target).values_list("member_id", flat=True))
    assert {m.bob.pk, m.carol.pk} <= followers
    bodies = list(Reply.objects.for_community(m.a).filter(topic_id=target.topic_id).values_list("body", flat=True))
    assert bodies == ["Dark colours at night", "+1"]
    assert Topic.objects.get(pk=source.topic_id).merged_into_id == target.topic_id
    # The merged idea leaves lists; it takes no more votes.
    assert source.pk not in [i.pk for i in selectors.idea_list(community=m.a, actor=actor_for(m.a, m.bob))]
    with pytest.raises(ServiceError):
        vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=source)


def test_evidence_from_any_channel_counts_unique_members_once(fbs):
    m = fbs
    idea = m.post(m.bob)
    vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    slack = Activity.objects.create(
        community=m.a, member=m.carol, kind="message", channel="slack", source="slack", external_id="s1",
        occurred_at=idea.created_at, body="we need dark mode", url="https://slack.example.com/a/1",
    )  # fmt: skip
    github = Activity.objects.create(
        community=m.a, member=m.dan, kind="issue", channel="github", source="github", external_id="g1",
        occurred_at=idea.created_at, title="Dark mode", url="https://github.com/x/y/issues/1",
    )  # fmt: skip
    staff = actor_for(m.a, m.mia)
    first = evidence_attach(community=m.a, actor=staff, idea=idea, activity=slack)
    assert evidence_attach(community=m.a, actor=staff, idea=idea, activity=slack).pk == first.pk
    evidence_attach(community=m.a, actor=staff, idea=idea, activity=github)
    reach = selectors.idea_reach(community=m.a, idea=idea)
    assert reach["unique_members"] == 3  # bob (author), carol (vote + slack), dan (github)
    assert Follower.objects.for_community(m.a).filter(idea=idea, member=m.dan).exists()
    with pytest.raises(ServiceError):
        evidence_attach(community=m.a, actor=actor_for(m.a, m.bob), idea=idea, activity=github)


def test_an_activity_becomes_a_new_idea_with_itself_as_evidence(fbs):
    m = fbs
    activity = Activity.objects.create(
        community=m.a, member=m.dan, kind="message", channel="discord", source="discord", external_id="d1",
        occurred_at="2026-12-01T10:00Z", body="Export to CSV would help", url="https://discord.example.com/m/1",
    )  # fmt: skip
    idea = idea_from_activity(community=m.a, actor=actor_for(m.a, m.mia), board=m.board, activity=activity)
    assert Topic.objects.get(pk=idea.topic_id).title == "Export to CSV would help"
    assert Evidence.objects.for_community(m.a).filter(idea=idea, activity=activity).exists()


def test_similar_ideas_are_found_by_shared_words_in_the_board_only(fbs):
    m = fbs
    dark = m.post(m.bob, "Dark mode for the dashboard", "Night theme")
    m.post(m.bob, "Export members to CSV", "Spreadsheets")
    m.post(m.mia, "Dark mode internally", "x", board=m.staff_board)
    found = selectors.similar_ideas(community=m.a, actor=actor_for(m.a, m.carol), board=m.board, text="dark' & mode!")
    assert [i.pk for i in found] == [dark.pk]
    assert selectors.similar_ideas(community=m.a, actor=actor_for(m.a, m.carol), board=m.board, text="&&") == []


def test_the_idea_shows_the_sentiment_of_its_evidence_and_comments(fbs):
    m = fbs
    idea = m.post(m.bob)
    topic = Topic.objects.get(pk=idea.topic_id)
    reply_create(community=m.a, actor=actor_for(m.a, m.carol), topic=topic, body="I love this")
    Activity.objects.for_community(m.a).filter(parent_external_id=f"topic:{topic.pk}").update(sentiment=0.8)
    slack = Activity.objects.create(
        community=m.a, member=m.dan, kind="message", channel="slack", source="slack", external_id="s2",
        occurred_at=idea.created_at, body="this is broken", sentiment=-0.4,
    )  # fmt: skip
    evidence_attach(community=m.a, actor=actor_for(m.a, m.mia), idea=idea, activity=slack)
    reach = selectors.idea_reach(community=m.a, idea=idea)
    assert reach["sentiment"] == pytest.approx(-0.4) and reach["comment_sentiment"] == pytest.approx(0.8)
