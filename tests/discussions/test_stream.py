"""Every post, reply, reaction, poll vote and accepted answer is also an Activity (source "forum")."""

from community.models import Activity
from discussions.models import TopicKind
from discussions.services import engagement, replies, topics


def test_forum_events_are_recorded_as_activities(in_a):
    f = in_a
    topic = topics.topic_create(
        community=f.a, actor=f.actor(f.bob), space=f.general, title="Q", body="?", kind=TopicKind.QUESTION
    )
    reply = replies.reply_create(community=f.a, actor=f.actor(f.carol), topic=topic, body="A")
    engagement.reaction_toggle(community=f.a, actor=f.actor(f.bob), topic=topic, reply=reply, emoji="👍")
    replies.answer_accept(community=f.a, actor=f.actor(f.bob), topic=topic, reply=reply)
    poll = topics.topic_create(
        community=f.a,
        actor=f.actor(f.bob),
        space=f.general,
        title="P",
        body="?",
        kind=TopicKind.POLL,
        poll_options=["x", "y"],
    )
    engagement.poll_vote(
        community=f.a, actor=f.actor(f.carol), poll=poll.poll, option_ids=[poll.poll.options.first().pk]
    )
    rows = set(
        Activity.objects.for_community(f.a).filter(source="forum").values_list("kind", "external_id", "member_id")
    )
    assert rows == {
        ("post", f"topic:{topic.pk}", f.bob.pk),
        ("reply", f"reply:{reply.pk}", f.carol.pk),
        ("reaction", f"reaction:reply:{reply.pk}:{f.bob.pk}:👍", f.bob.pk),
        ("accepted_answer", f"accepted:{topic.pk}:{reply.pk}", f.carol.pk),
        ("post", f"topic:{poll.pk}", f.bob.pk),
        ("vote", f"vote:{poll.poll.pk}:{f.carol.pk}", f.carol.pk),
    }


def test_reply_activity_points_at_its_topic(in_a):
    f = in_a
    topic = topics.topic_create(community=f.a, actor=f.actor(f.bob), space=f.general, title="T", body="b")
    reply = replies.reply_create(community=f.a, actor=f.actor(f.carol), topic=topic, body="r")
    activity = Activity.objects.for_community(f.a).get(external_id=f"reply:{reply.pk}")
    assert activity.parent_external_id == f"topic:{topic.pk}" and activity.url.endswith(f"/d/t/{topic.pk}/#r1")
