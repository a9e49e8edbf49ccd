"""Edit and approve (issue 15): a moderator corrects a forum post and approves it in one decision, through the
forum's own edit service (a revision is kept), with the before and after in the log; page and API alike."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.errors import ServiceError
from community.models import Activity
from community.tenancy import community_scope
from discussions.models import Reply, Revision, Topic
from moderation.models import ItemStatus, LogEntry, QueueItem
from moderation.services.queue import queue_item_act, queue_item_open, queue_items_bulk_act
from moderation.services.subjects import content_show
from tests.discussions.conftest import actor_for

pytestmark = pytest.mark.django_db


def _open(m, kind, pk):
    with community_scope(m.a.pk):
        return queue_item_open(community=m.a, subject_kind=kind, subject_id=pk, spam=0.9, reasons=["links"])


def test_a_reply_edited_and_approved_keeps_a_revision_and_logs_before_and_after(mod):
    m = mod
    item = _open(m, "reply", m.reply.pk)
    with community_scope(m.a.pk):
        done = queue_item_act(
            community=m.a, actor=actor_for(m.a, m.mia), item=item, action="edit", body="Polite words", reason="tone"
        )
        reply = Reply.objects.get(pk=m.reply.pk)
        entry = LogEntry.objects.for_community(m.a).get(action="queue.edit")
        revisions = Revision.objects.for_community(m.a).count()
    assert done.status == ItemStatus.APPROVED and reply.body == "Polite words" and revisions == 1
    assert entry.before["body"] == "rude words" and entry.after["body"] == "Polite words" and entry.reason == "tone"


def test_a_held_topic_is_shown_again_with_its_corrected_title_and_body(mod):
    m = mod
    item = _open(m, "topic", m.topic.pk)
    with community_scope(m.a.pk):
        content_show(community=m.a, subject_kind="topic", subject_id=m.topic.pk, visible=False)
        QueueItem.objects.filter(pk=item.pk).update(content_hidden=True)
        queue_item_act(
            community=m.a, actor=actor_for(m.a, m.mia), item=item, action="edit", title="Watches", body="Any tips?"
        )
        topic = Topic.objects.get(pk=m.topic.pk)
    assert topic.deleted_at is None and (topic.title, topic.body) == ("Watches", "Any tips?")


def test_edit_needs_text_is_refused_in_bulk_and_for_channel_activities(mod):
    m = mod
    item = _open(m, "reply", m.reply.pk)
    actor = actor_for(m.a, m.mia)
    with community_scope(m.a.pk):
        with pytest.raises(ServiceError, match="corrected text"):
            queue_item_act(community=m.a, actor=actor, item=item, action="edit", body="  ")
        with pytest.raises(ServiceError, match="one at a time"):
            queue_items_bulk_act(community=m.a, actor=actor, item_ids=[item.pk], action="edit")
        assert Reply.objects.get(pk=m.reply.pk).body == "rude words"
        activity = Activity.objects.create(
            community=m.a, kind="message", channel="slack", source="slack", external_id="T:C:1.2",
            occurred_at=timezone.now(), body="spam",
        )  # fmt: skip
    channel_item = _open(m, "activity", activity.pk)
    with community_scope(m.a.pk), pytest.raises(ServiceError, match="Only forum posts"):
        queue_item_act(community=m.a, actor=actor, item=channel_item, action="edit", body="x")


def test_the_api_and_the_page_edit_and_approve(mod, client):
    m = mod
    one, two = _open(m, "reply", m.reply.pk), _open(m, "topic", m.topic.pk)
    api = APIClient()
    api.force_authenticate(m.mia.user)
    base = f"/api/v1/c/{m.a.slug}/moderation/queue/"
    missing = api.post(f"{base}{one.pk}/act/", {"action": "edit"}, format="json")
    assert missing.status_code == 400 and "body" in missing.json()["error"]["fields"]
    done = api.post(f"{base}{one.pk}/act/", {"action": "edit", "body": "Fixed"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert api.post(f"{base}bulk/", {"item_ids": [two.pk], "action": "edit"}, format="json").status_code == 400
    client.force_login(m.mia.user)
    page = client.get(f"/c/{m.a.slug}/manage/moderation/items/{two.pk}/").content.decode()
    assert 'name="body"' in page and "Buy cheap watches" in page and 'value="edit"' in page
    client.post(f"/c/{m.a.slug}/manage/moderation/items/{two.pk}/", {"do": "edit", "title": "Watches", "body": "Tips?"})
    with community_scope(m.a.pk):
        topic = Topic.objects.get(pk=m.topic.pk)
        assert (topic.title, topic.body) == ("Watches", "Tips?")
        assert QueueItem.objects.get(pk=two.pk).status == ItemStatus.APPROVED
