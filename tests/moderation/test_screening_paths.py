"""Every way an activity arrives is screened by the worker after commit: forum topics and replies, channel ingest."""

from datetime import UTC, datetime

from community.models import Activity, Member
from community.policy import Actor
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from discussions.models import Space
from discussions.services.replies import reply_create
from discussions.services.topics import topic_create
from moderation.models import LogEntry, MemberTrust, QueueItem
from moderation.services.queue import queue_item_act
from moderation.services.screening import activities_screen
from tests.discussions.conftest import established
from tests.factories import add_member, make_user, owner_of
from tests.moderation.test_screening import HAM, SPAM


def owner_actor(community) -> Actor:
    owner = owner_of(community)
    return Actor(community=community, user_id=owner.user_id, member=owner)


T0 = datetime(2026, 3, 1, tzinfo=UTC)


def test_forum_topics_and_replies_are_screened_after_commit(world, eager_celery, django_capture_on_commit_callbacks):
    newcomer = add_member(world.a, make_user("new@example.com"), display_name="Newcomer")
    with community_scope(world.a.pk):
        space = Space.objects.create(community=world.a, name="General", slug="general")
        newcomer = Member.objects.get(pk=newcomer.pk)
        # Past trust level 0 (which may post no links and has its first posts held: test_trust.py), so what is
        # judged here is the scorer's screen of a new account.
        MemberTrust.objects.create(community=world.a, member=newcomer, level=1)
        actor = Actor(community=world.a, user_id=newcomer.user_id, member=newcomer)
        with django_capture_on_commit_callbacks(execute=True):
            topic = topic_create(community=world.a, actor=actor, space=space, title="Free iPhone giveaway", body=SPAM)
        with django_capture_on_commit_callbacks(execute=True):
            reply_create(community=world.a, actor=actor, topic=topic, body=HAM)
        rows = list(Activity.objects.for_community(world.a).filter(source="forum").order_by("id"))
    assert [r.kind for r in rows] == ["post", "reply"]
    topic_row, reply_row = rows
    assert topic_row.moderation_status == "held" and topic_row.moderation_scorer
    assert reply_row.moderation_status == "published" and reply_row.moderation_spam < 0.5


def test_channel_ingest_is_screened_after_commit(world, eager_celery, django_capture_on_commit_callbacks):
    items = [
        {"external_id": f"m{n}", "kind": "message", "occurred_at": T0.isoformat(), "body": body,
         "identity": {"channel": "discord", "external_id": f"d{n}", "name": f"User {n}"}}
        for n, body in enumerate([SPAM, HAM])
    ]  # fmt: skip
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
        results = activity_ingest(community=world.a, items=items, source_default="discord", connection_id=7)
    with community_scope(world.a.pk):
        rows = {a.external_id: a for a in Activity.objects.for_community(world.a).filter(source="discord")}
    assert [r["status"] for r in results] == ["created", "created"]
    assert rows["m0"].moderation_status in {"flagged", "held"} and rows["m0"].moderation_spam >= 0.5
    assert rows["m1"].moderation_status == "published"


def test_a_held_forum_topic_is_hidden_and_queued_and_approving_it_shows_it_again(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    newcomer = add_member(world.a, make_user("new@example.com"), display_name="Newcomer")
    with community_scope(world.a.pk):
        space = Space.objects.create(community=world.a, name="General", slug="general")
        newcomer = Member.objects.get(pk=newcomer.pk)
        actor = Actor(community=world.a, user_id=newcomer.user_id, member=newcomer)
    # Past trust level 0 (which refuses links before any scorer runs): this is about the scorer's verdict.
    established(world.a, newcomer, level=1)
    with community_scope(world.a.pk):
        with django_capture_on_commit_callbacks(execute=True):
            topic = topic_create(community=world.a, actor=actor, space=space, title="Free iPhone giveaway", body=SPAM)
        topic.refresh_from_db()
        item = QueueItem.objects.for_community(world.a).get(subject_kind="topic", subject_id=topic.pk)
    assert topic.deleted_at is not None  # hidden from members until reviewed
    assert item.status == "open" and item.source == "scorer" and item.content_hidden and item.author_id == newcomer.pk
    assert item.spam >= 0.8 and item.reasons and item.title == "Free iPhone giveaway"
    assert client.get(f"/c/alpha/d/t/{topic.pk}/").status_code == 404
    with community_scope(world.a.pk):
        assert LogEntry.objects.for_community(world.a).filter(action="queue.open", subject_id=topic.pk).count() == 1
        queue_item_act(community=world.a, actor=owner_actor(world.a), item=item, action="approve")
        topic.refresh_from_db()
    assert topic.deleted_at is None
    assert client.get(f"/c/alpha/d/t/{topic.pk}/").status_code == 200


def test_flagged_channel_activities_are_queued_once_even_when_screened_again(
    world, eager_celery, django_capture_on_commit_callbacks
):
    items = [
        {"external_id": f"m{n}", "kind": "message", "occurred_at": T0.isoformat(), "body": body,
         "identity": {"channel": "discord", "external_id": f"d{n}", "name": f"User {n}"}}
        for n, body in enumerate([SPAM, HAM, SPAM + " now"])
    ]  # fmt: skip
    with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
        results = activity_ingest(community=world.a, items=items, source_default="discord", connection_id=7)
    ids = [r["id"] for r in results]
    with community_scope(world.a.pk):
        assert activities_screen(community=world.a, activity_ids=ids) == 0  # a re-delivery: nothing new
        queued = list(
            QueueItem.objects.for_community(world.a).order_by("subject_id").values_list("subject_kind", "subject_id")
        )
    assert queued == [("activity", ids[0]), ("activity", ids[2])]
