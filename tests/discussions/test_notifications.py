"""Notifications: watching, muting, emails that respect preferences, digests, signed one-click unsubscribe."""

from django.core import mail

from community.tenancy import community_scope
from discussions.models import Level, Notification, NotificationPreference, Subscription
from discussions.services import notifications, replies, subscriptions, topics
from discussions.tasks import publish_due_fanout_task

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _topic(f, member=None, **kw):
    return topics.topic_create(
        community=f.a,
        actor=f.actor(member or f.bob),
        space=kw.pop("space", f.general),
        title=kw.pop("title", "Topic"),
        body=kw.pop("body", "Body"),
        **kw,
    )


def test_starting_and_replying_auto_watches(in_a):
    topic = _topic(in_a)
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="r")
    watchers = set(Subscription.objects.for_community(in_a.a).filter(topic=topic).values_list("member_id", "level"))
    assert watchers == {(in_a.bob.pk, Level.WATCHING), (in_a.carol.pk, Level.WATCHING)}


def test_auto_watch_can_be_turned_off(in_a):
    notifications.preference_update(community=in_a.a, actor=in_a.actor(in_a.carol), auto_watch=False)
    topic = _topic(in_a)
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="r")
    assert not Subscription.objects.for_community(in_a.a).filter(member=in_a.carol).exists()


def test_space_watchers_hear_about_new_topics(in_a):
    subscriptions.subscription_set(
        community=in_a.a, actor=in_a.actor(in_a.carol), space=in_a.general, level=Level.WATCHING
    )
    _topic(in_a)
    assert Notification.objects.for_community(in_a.a).filter(recipient=in_a.carol, kind="watched").exists()


def test_muted_topic_sends_nothing_but_mentions(in_a):
    topic = _topic(in_a)
    subscriptions.subscription_set(community=in_a.a, actor=in_a.actor(in_a.bob), topic=topic, level=Level.MUTED)
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="plain")
    assert not Notification.objects.for_community(in_a.a).filter(recipient=in_a.bob).exists()
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="hey @bob")
    assert Notification.objects.for_community(in_a.a).filter(recipient=in_a.bob, kind="mention").exists()


def test_bell_count_and_mark_read(in_a):
    topic = _topic(in_a)
    replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="one")
    assert notifications.unread_count(community=in_a.a, member=in_a.bob) == 1
    notifications.notification_mark_read(community=in_a.a, actor=in_a.actor(in_a.bob))
    assert notifications.unread_count(community=in_a.a, member=in_a.bob) == 0


def test_notification_email_is_sent_with_one_click_unsubscribe(in_a):
    topic = _topic(in_a)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Hello")
    ids = list(Notification.objects.for_community(in_a.a).filter(reply=reply).values_list("pk", flat=True))
    assert notifications.notification_emails_send(community=in_a.a, notification_ids=ids) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"] and "carol replied" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Each notification is emailed once.
    assert notifications.notification_emails_send(community=in_a.a, notification_ids=ids) == 0


def test_a_title_with_a_newline_becomes_one_line_and_its_emails_still_go(in_a):
    topic = _topic(in_a, title="Line one\r\nBcc: victim@example.com\tand more")
    assert topic.title == "Line one Bcc: victim@example.com and more"
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Hello")
    ids = list(Notification.objects.for_community(in_a.a).filter(reply=reply).values_list("pk", flat=True))
    assert notifications.notification_emails_send(community=in_a.a, notification_ids=ids) == 1
    assert "\n" not in mail.outbox[0].subject and mail.outbox[0].to == ["bob@example.com"]


def test_email_respects_preferences(in_a):
    notifications.preference_update(community=in_a.a, actor=in_a.actor(in_a.bob), email_replies=False)
    topic = _topic(in_a)
    reply = replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Hello")
    ids = list(Notification.objects.for_community(in_a.a).filter(reply=reply).values_list("pk", flat=True))
    assert notifications.notification_emails_send(community=in_a.a, notification_ids=ids) == 0


def test_reply_enqueues_the_email_task_on_commit(in_a, django_capture_on_commit_callbacks, monkeypatch):
    from discussions import tasks

    sent = []
    monkeypatch.setattr(tasks.send_notification_emails_task, "delay", lambda *args: sent.append(args))
    topic = _topic(in_a)
    with django_capture_on_commit_callbacks(execute=True):
        replies.reply_create(community=in_a.a, actor=in_a.actor(in_a.carol), topic=topic, body="Hello")
    assert sent and sent[0][0] == in_a.a.pk


def test_weekly_digest_goes_to_members_who_chose_it(in_a):
    notifications.preference_update(community=in_a.a, actor=in_a.actor(in_a.carol), digest="weekly")
    _topic(in_a, title="Digest-worthy topic")
    assert notifications.digest_send(community=in_a.a, frequency="weekly") == 1
    assert "Digest-worthy topic" in mail.outbox[0].body and mail.outbox[0].to == ["carol@example.com"]
    # Not twice in the same period.
    assert notifications.digest_send(community=in_a.a, frequency="weekly") == 0


def test_signed_unsubscribe_turns_emails_off(client, forum):
    with community_scope(forum.a.pk):
        token = notifications.unsubscribe_token(forum.bob)
    page = client.get(f"/c/alpha/d/unsubscribe/{token}/")
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert client.post(f"/c/alpha/d/unsubscribe/{token}/").status_code == 200
    with community_scope(forum.a.pk):
        pref = NotificationPreference.objects.for_community(forum.a).get(member=forum.bob)
    assert (pref.email_replies, pref.email_mentions, pref.digest) == (False, False, "never")


def test_tampered_or_foreign_unsubscribe_token_is_a_404(client, forum):
    with community_scope(forum.b.pk):
        from community.models import Member

        b_member = Member.objects.for_community(forum.b).first()
        b_token = notifications.unsubscribe_token(b_member)
    assert client.post(f"/c/alpha/d/unsubscribe/{b_token}/").status_code == 404
    assert client.get("/c/alpha/d/unsubscribe/forged:token/").status_code == 404


def test_preferences_page_saves(client, forum):
    client.force_login(forum.world.bob)
    response = client.post("/c/alpha/d/preferences/", {"email_mentions": "on", "digest": "daily"})
    assert response.status_code == 302
    with community_scope(forum.a.pk):
        pref = NotificationPreference.objects.for_community(forum.a).get(member=forum.bob)
    assert (pref.email_replies, pref.email_mentions, pref.digest) == (False, True, "daily")


def test_publish_fanout_enqueues_due_communities(in_a, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from discussions import tasks
    from discussions.models import Topic

    topic = _topic(in_a, member=in_a.alice, publish_at=timezone.now() + timedelta(hours=1))
    Topic.objects.for_community(in_a.a).filter(pk=topic.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    queued = []
    monkeypatch.setattr(tasks.publish_scheduled_task, "delay", lambda cid: queued.append(cid))
    assert publish_due_fanout_task() == 1 and queued == [in_a.a.pk]


def test_a_mention_in_a_private_group_reaches_only_those_who_can_read_it(in_a):
    from discussions.services import spaces

    spaces.space_group_add(community=in_a.a, actor=in_a.actor(in_a.alice), space=in_a.private, members=[in_a.bob])
    with_alice_handle(in_a)
    _topic(in_a, space=in_a.private, title="Secret plans", body="@carol and @alice, look")
    recipients = set(Notification.objects.for_community(in_a.a).values_list("recipient_id", flat=True))
    assert recipients == {in_a.alice.pk}  # the owner reads every space; carol is outside the group
    assert not [m for m in mail.outbox if "carol@example.com" in m.to]


def test_notifications_of_a_space_one_can_no_longer_read_vanish_from_list_count_and_email(in_a):
    from discussions import selectors
    from discussions.models import SpaceGroupMember
    from discussions.services import spaces

    spaces.space_group_add(
        community=in_a.a, actor=in_a.actor(in_a.alice), space=in_a.private, members=[in_a.bob, in_a.carol]
    )
    _topic(in_a, space=in_a.private, title="Secret plans", body="@carol look")
    (notification,) = Notification.objects.for_community(in_a.a).filter(recipient=in_a.carol)
    assert notifications.unread_count(community=in_a.a, member=in_a.carol) == 1
    assert list(selectors.notification_list(community=in_a.a, member=in_a.carol)) == [notification]

    SpaceGroupMember.objects.for_community(in_a.a).filter(member=in_a.carol).delete()  # carol leaves the group
    mail.outbox.clear()
    assert notifications.unread_count(community=in_a.a, member=in_a.carol) == 0
    assert list(selectors.notification_list(community=in_a.a, member=in_a.carol)) == []
    assert notifications.notification_emails_send(community=in_a.a, notification_ids=[notification.pk]) == 0
    assert mail.outbox == []


def with_alice_handle(f):
    f.alice.handle = "alice"
    f.alice.save(update_fields=["handle"])
