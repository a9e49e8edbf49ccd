"""Members' flags: one per member per post, a reason from the list, trusted flags hide the post, accuracy."""

import pytest
from rest_framework.test import APIClient

from community.errors import ServiceError
from community.tenancy import community_scope
from discussions.models import Topic
from moderation.models import Flag, QueueItem
from moderation.services.flags import flag_create, reporter_accuracy
from moderation.services.queue import queue_item_act
from tests.discussions.conftest import actor_for
from tests.factories import add_member, make_user

from .conftest import age

pytestmark = pytest.mark.django_db


def _flag(m, member, subject=None, reason="spam"):
    subject = subject or m.topic
    kind = "topic" if isinstance(subject, Topic) else "reply"
    return flag_create(
        community=m.a, actor=actor_for(m.a, member), subject_kind=kind, subject_id=subject.pk, reason=reason
    )


def _members(m, n):
    return [add_member(m.a, make_user(), display_name=f"reporter{i}") for i in range(n)]


def test_one_flag_per_member_per_post(scoped):
    m = scoped
    _flag(scoped, m.carol)
    with pytest.raises(ServiceError) as error:
        _flag(scoped, m.carol, reason="abuse")
    assert error.value.code == "conflict"
    assert Flag.objects.for_community(m.a).count() == 1
    assert QueueItem.objects.for_community(m.a).get().flag_count == 1


def test_unknown_reason_and_own_post_are_refused(scoped):
    m = scoped
    with pytest.raises(ServiceError) as error:
        _flag(m, m.carol, reason="boring")
    assert error.value.field == "reason"
    with pytest.raises(ServiceError) as error:
        _flag(m, m.bob)
    assert error.value.code == "conflict"
    assert not Flag.objects.for_community(m.a).exists()


def test_enough_trusted_flags_hide_the_post_until_reviewed(scoped):
    m = scoped
    reporters = [age(r) for r in _members(m, 3)]
    _flag(m, reporters[0])
    _flag(m, reporters[1])
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is None
    _flag(m, reporters[2])
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is not None
    item = QueueItem.objects.for_community(m.a).get()
    assert item.content_hidden and item.status == "open"
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=item, action="disagree")
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is None


def test_flags_from_brand_new_members_do_not_hide(scoped):
    m = scoped
    for reporter in _members(m, 4):
        _flag(m, reporter)
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is None
    assert QueueItem.objects.for_community(m.a).get().flag_count == 4


def test_the_threshold_is_a_community_setting(scoped):
    m = scoped
    m.a.settings = {"moderation": {"flags_to_hide": 1}}
    m.a.save(update_fields=["settings"])
    _flag(m, age(m.carol))
    assert Topic.objects.get(pk=m.topic.pk).deleted_at is not None


def test_agree_and_disagree_feed_the_reporters_accuracy_and_weight(scoped):
    m = scoped
    carol = m.carol
    assert reporter_accuracy(community=m.a, member_id=carol.pk) == 0.5
    flag = _flag(m, carol)
    queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=flag.item, action="agree")
    assert reporter_accuracy(community=m.a, member_id=carol.pk) == pytest.approx(2 / 3)
    second = _flag(m, carol, subject=m.reply)
    assert second.weight == pytest.approx(2 / 3)
    assert QueueItem.objects.get(pk=second.item_id).priority == pytest.approx(2 / 3)


def test_a_member_flags_from_the_topic_page(mod, client):
    m = mod
    client.force_login(m.carol.user)
    page = client.get(f"/c/{m.a.slug}/d/t/{m.topic.pk}/")
    assert f"/c/{m.a.slug}/d/t/{m.topic.pk}/flag/" in page.content.decode()
    form = client.get(f"/c/{m.a.slug}/d/t/{m.topic.pk}/flag/")
    assert form.status_code == 200 and "Off-topic" in form.content.decode()
    response = client.post(f"/c/{m.a.slug}/d/t/{m.topic.pk}/flag/", {"reason": "off_topic", "note": "wrong space"})
    assert response.status_code == 302
    with community_scope(m.a.pk):
        flag = Flag.objects.for_community(m.a).get()
    assert (flag.reason, flag.note, flag.reporter_id) == ("off_topic", "wrong space", m.carol.pk)


def test_flag_through_the_api_and_keys_cannot_flag(mod):
    m = mod
    api = APIClient()
    api.force_authenticate(m.carol.user)
    url = f"/api/v1/c/{m.a.slug}/moderation/flags/"
    response = api.post(url, {"subject_kind": "reply", "subject_id": m.reply.pk, "reason": "abuse"}, format="json")
    assert response.status_code == 201, response.content
    bad = api.post(url, {"subject_kind": "reply", "subject_id": m.reply.pk, "reason": "meh"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    again = api.post(url, {"subject_kind": "reply", "subject_id": m.reply.pk, "reason": "abuse"}, format="json")
    assert again.status_code == 409
    keyed = APIClient().post(
        "/api/v1/moderation/flags/", {"subject_kind": "topic", "subject_id": m.topic.pk, "reason": "spam"},
        format="json", HTTP_AUTHORIZATION=f"Bearer {m.world.a_key}",
    )  # fmt: skip
    assert keyed.status_code == 403
    with community_scope(m.a.pk):
        assert Flag.objects.for_community(m.a).count() == 1
