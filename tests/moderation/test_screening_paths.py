"""Every way an activity arrives is screened by the worker after commit: forum topics and replies, channel ingest."""

from datetime import UTC, datetime

from community.models import Activity, Member
from community.policy import Actor
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from discussions.models import Space
from discussions.services.replies import reply_create
from discussions.services.topics import topic_create
from moderation.models import MemberTrust
from tests.factories import add_member, make_user
from tests.moderation.test_screening import HAM, SPAM

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
