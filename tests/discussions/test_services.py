"""Forum services: topics, replies, polls, reactions, accepted answers, moderation, merge and split."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.errors import ServiceError
from discussions.models import Notification, PollVote, Reaction, Reply, Revision, Topic, TopicKind
from discussions.services import engagement, replies, topics


def _topic(forum, member=None, **kw):
    kw.setdefault("title", "How do I bake bread?")
    kw.setdefault("body", "I need **help** with sourdough.")
    return topics.topic_create(community=forum.a, actor=forum.actor(member or forum.bob), space=forum.general, **kw)


def test_member_starts_a_topic_rendered_as_markdown(in_a):
    topic = _topic(in_a)
    assert topic.body_html == "<p>I need <strong>help</strong> with sourdough.</p>\n"
    assert topic.last_posted_at is not None


def test_empty_title_is_refused_with_a_message(in_a):
    with pytest.raises(ServiceError, match="title") as error:
        _topic(in_a, title="   ")
    assert error.value.field == "title"


def test_oversized_body_is_refused(in_a):
    with pytest.raises(ServiceError, match="too long"):
        _topic(in_a, body="x" * 20_001)


def test_member_cannot_start_topic_in_staff_only_space(in_a):
    with pytest.raises(ServiceError) as error:
        topics.topic_create(community=in_a.a, actor=in_a.actor(in_a.bob), space=in_a.staff_only, title="t", body="b")
    assert error.value.code == "permission_denied"


def test_staff_can_post_announcement_in_staff_only_space(in_a):
    topic = topics.topic_create(
        community=in_a.a,
        actor=in_a.actor(in_a.alice),
        space=in_a.staff_only,
        title="News",
        body="Big news",
        kind=TopicKind.ANNOUNCEMENT,
    )
    assert topic.kind == "announcement"


def test_articles_are_for_staff_and_trusted_authors(in_a):
    with pytest.raises(ServiceError, match="trusted authors"):
        _topic(in_a, kind=TopicKind.ARTICLE)
    in_a.bob.tags = ["trusted-author"]
    in_a.bob.save(update_fields=["tags"])
    assert _topic(in_a, kind=TopicKind.ARTICLE).kind == TopicKind.ARTICLE


def test_member_cannot_post_in_private_group_space_they_do_not_belong_to(in_a):
    with pytest.raises(ServiceError) as error:
        topics.topic_create(community=in_a.a, actor=in_a.actor(in_a.bob), space=in_a.private, title="t", body="b")
    assert error.value.code == "not_found"


def test_poll_with_one_option_is_refused(in_a):
    with pytest.raises(ServiceError, match="at least two"):
        _topic(in_a, kind=TopicKind.POLL, poll_options=["only"])


def test_single_choice_vote_replaces_the_previous_vote(in_a):
    topic = _topic(in_a, kind=TopicKind.POLL, poll_options=["Rye", "Wheat"])
    first, second = topic.poll.options.all()
    engagement.poll_vote(community=in_a.a, actor=in_a.actor(in_a.carol), poll=topic.poll, option_ids=[first.pk])
    engagement.poll_vote(community=in_a.a, actor=in_a.actor(in_a.carol), poll=topic.poll, option_ids=[second.pk])
    assert list(PollVote.objects.for_community(in_a.a).values_list("option_id", flat=True)) == [second.pk]


def test_single_choice_poll_refuses_two_options(in_a):
    topic = _topic(in_a, kind=TopicKind.POLL, poll_options=["Rye", "Wheat"])
    ids = list(topic.poll.options.values_list("pk", flat=True))
    with pytest.raises(ServiceError, match="one option"):
        engagement.poll_vote(community=in_a.a, actor=in_a.actor(in_a.carol), poll=topic.poll, option_ids=ids)


def test_vote_on_closed_poll_is_refused(in_a):
    topic = _topic(
        in_a, kind=TopicKind.POLL, poll_options=["Rye", "Wheat"], poll_closes_at=timezone.now() + timedelta(hours=1)
    )
    topic.poll.closes_at = timezone.now() - timedelta(minutes=1)
    topic.poll.save()
    option = topic.poll.options.first()
    with pytest.raises(ServiceError, match="closed") as error:
        engagement.poll_vote(community=in_a.a, actor=in_a.actor(in_a.carol), poll=topic.poll, option_ids=[option.pk])
    assert error.value.code == "conflict"


def test_replies_are_numbered_and_counted(in_a):
    topic = _topic(in_a)
    r1 = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Use rye.")
    r2 = replies.reply_create(
        community=in_a.a, actor=in_a.actor(in_a.alice), topic=topic, body="Or wheat.", reply_to=r1
    )
    topic.refresh_from_db()
    assert (r1.position, r2.position, topic.reply_count) == (1, 2, 2)


def test_reply_in_locked_topic_is_refused(in_a):
    topic = _topic(in_a)
    topics.topic_moderate(community=in_a.a, actor=in_a.actor(in_a.alice), topic=topic, locked=True)
    with pytest.raises(ServiceError, match="locked"):
        replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="hi")


def test_quote_includes_the_quoted_text_and_notifies_its_author(in_a):
    topic = _topic(in_a)
    r1 = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Use rye.")
    r2 = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.alice), topic=topic, body="Agreed", quote_of=r1)
    assert "<blockquote>" in r2.body_html
    assert Notification.objects.for_community(in_a.a).filter(recipient=in_a.carol, kind="quote").exists()


def test_mention_links_the_profile_and_notifies_the_member(in_a):
    topic = _topic(in_a, body="Ask @carol about it")
    assert 'href="/c/alpha/d/members/' in topic.body_html
    assert Notification.objects.for_community(in_a.a).filter(recipient=in_a.carol, kind="mention").exists()


def test_reply_notifies_the_topic_author_and_not_the_replier(in_a):
    topic = _topic(in_a)
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Hello")
    kinds = set(Notification.objects.for_community(in_a.a).values_list("recipient_id", "kind"))
    assert (in_a.bob.pk, "reply") in kinds
    assert not any(r == in_a.carol.pk for r, _ in kinds)


def test_edit_keeps_history_with_a_diff(in_a):
    topic = _topic(in_a)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="old text")
    replies.reply_update(community=in_a.a, actor=in_a.actor(in_a.carol), reply=reply, body="new text")
    revision = Revision.objects.for_community(in_a.a).get(reply=reply)
    assert revision.body_before == "old text" and "-old text" in revision.diff and "+new text" in revision.diff
    assert revision.editor_id == in_a.carol.pk


def test_member_cannot_edit_someone_elses_reply(in_a):
    topic = _topic(in_a)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="mine")
    with pytest.raises(ServiceError) as error:
        replies.reply_update(community=in_a.a, actor=in_a.actor(in_a.bob), reply=reply, body="changed")
    assert error.value.code == "permission_denied"


def test_soft_delete_keeps_the_row(in_a):
    topic = _topic(in_a)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="oops")
    replies.reply_delete(community=in_a.a, actor=in_a.actor(in_a.alice), reply=reply)
    reply.refresh_from_db()
    assert reply.deleted_at is not None and reply.deleted_by_id == in_a.alice.pk


def test_asker_accepts_an_answer_and_the_answerer_is_notified(in_a):
    topic = _topic(in_a, kind=TopicKind.QUESTION)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Answer")
    replies.answer_accept(community=in_a.a, actor=in_a.actor(in_a.bob), topic=topic, reply=reply)
    topic.refresh_from_db()
    assert topic.accepted_reply_id == reply.pk
    assert Notification.objects.for_community(in_a.a).filter(recipient=in_a.carol, kind="accepted").exists()


def test_other_member_cannot_accept_an_answer(in_a):
    topic = _topic(in_a, kind=TopicKind.QUESTION)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Answer")
    with pytest.raises(ServiceError):
        replies.answer_accept(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, reply=reply)


def test_reaction_is_one_per_member_per_emoji_and_toggles(in_a):
    topic = _topic(in_a)
    assert engagement.reaction_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, emoji="👍")
    assert not engagement.reaction_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, emoji="👍")
    engagement.reaction_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, emoji="🎉")
    assert list(Reaction.objects.for_community(in_a.a).values_list("emoji", flat=True)) == ["🎉"]


def test_reaction_outside_the_configured_set_is_refused(in_a):
    topic = _topic(in_a)
    with pytest.raises(ServiceError, match="not available"):
        engagement.reaction_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, emoji="💩")


def test_reaction_set_is_configurable_per_community(in_a):
    in_a.a.settings = {"discussions": {"reactions": ["💩"]}}
    topic = _topic(in_a)
    assert engagement.reaction_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, emoji="💩")


def test_bookmark_toggles(in_a):
    topic = _topic(in_a)
    assert engagement.bookmark_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic)
    assert not engagement.bookmark_toggle(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic)


def test_pin_lock_archive_and_move_need_staff(in_a):
    topic = _topic(in_a)
    with pytest.raises(ServiceError):
        topics.topic_moderate(community=in_a.a, actor=in_a.actor(in_a.bob), topic=topic, pin="global")
    topics.topic_moderate(
        community=in_a.a,
        actor=in_a.actor(in_a.alice),
        topic=topic,
        pin="global",
        locked=True,
        archived=True,
        space=in_a.staff_only,
    )
    topic.refresh_from_db()
    assert (topic.pin, topic.locked, topic.archived, topic.space_id) == ("global", True, True, in_a.staff_only.pk)


def test_merge_moves_the_first_post_and_replies_to_the_target(in_a):
    target = _topic(in_a, title="Target")
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=target, body="t1")
    source = _topic(in_a, title="Source", body="source body")
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=source, body="s1")
    merged = topics.topic_merge(community=in_a.a, actor=in_a.actor(in_a.alice), source=source, target=target)
    bodies = list(
        Reply.objects.for_community(in_a.a).filter(topic=merged).order_by("position").values_list("body", "position")
    )
    assert bodies == [("t1", 1), ("source body", 2), ("s1", 3)]
    assert merged.reply_count == 3
    source.refresh_from_db()
    assert source.merged_into_id == target.pk


def test_split_makes_a_new_topic_from_replies(in_a):
    topic = _topic(in_a)
    r1 = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="off topic start")
    r2 = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.alice), topic=topic, body="off topic more")
    new = topics.topic_split(
        community=in_a.a, actor=in_a.actor(in_a.alice), topic=topic, reply_ids=[r1.pk, r2.pk], title="Split out"
    )
    assert (new.body, new.author_id, new.reply_count) == ("off topic start", in_a.carol.pk, 1)
    assert list(Reply.objects.for_community(in_a.a).filter(topic=new).values_list("body", "position")) == [
        ("off topic more", 1)
    ]
    topic.refresh_from_db()
    assert topic.reply_count == 0


def test_scheduled_topic_publishes_when_due(in_a):
    topic = _topic(
        in_a,
        member=in_a.alice,
        publish_at=timezone.now() + timedelta(hours=1),
        kind=TopicKind.POLL,
        poll_options=["a", "b"],
    )
    assert topic.status == "scheduled"
    assert topics.topics_publish_due(community=in_a.a) == []
    published = topics.topics_publish_due(community=in_a.a, now=timezone.now() + timedelta(hours=2))
    assert published == [topic.pk]
    assert Topic.objects.for_community(in_a.a).get(pk=topic.pk).status == "published"


def test_member_cannot_schedule(in_a):
    with pytest.raises(ServiceError, match="managers"):
        _topic(in_a, publish_at=timezone.now() + timedelta(hours=1))
