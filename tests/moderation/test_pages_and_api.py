"""The queue through its page and its API: claim, decide, bulk, confirmations, error bodies, roles and scopes."""

import pytest
from rest_framework.test import APIClient

from community.tenancy import community_scope
from discussions.models import Reply, Topic
from moderation.models import ItemStatus, QueueItem
from moderation.services.queue import queue_item_open
from tests.factories import make_api_key

pytestmark = pytest.mark.django_db


def _open(m, kind="topic", pk=None, spam=0.9):
    with community_scope(m.a.pk):
        return queue_item_open(
            community=m.a, subject_kind=kind, subject_id=pk or m.topic.pk, spam=spam, reasons=["links"]
        )


def _item(item):
    with community_scope(item.community_id):
        return QueueItem.objects.get(pk=item.pk)


def test_a_moderator_claims_and_hides_from_the_item_page(mod, client):
    m = mod
    item = _open(m)
    client.force_login(m.mia.user)
    url = f"/c/{m.a.slug}/manage/moderation/items/{item.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and "Buy cheap watches" in page.content.decode() and "Claim" in page.content.decode()
    client.post(url, {"do": "claim"})
    assert _item(item).claimed_by_id == m.mia.pk
    client.force_login(m.max.user)
    assert "Someone else holds this item" in client.get(url).content.decode()
    client.post(url, {"do": "hide"})
    assert _item(item).status == ItemStatus.OPEN  # max was refused
    client.force_login(m.mia.user)
    client.post(url, {"do": "hide", "reason": "spam"})
    assert _item(item).status == ItemStatus.HIDDEN
    with community_scope(m.a.pk):
        assert Topic.objects.get(pk=m.topic.pk).deleted_at is not None


def test_removal_and_bulk_need_the_confirmation(mod, client):
    m = mod
    item = _open(m)
    client.force_login(m.mia.user)
    client.post(f"/c/{m.a.slug}/manage/moderation/items/{item.pk}/", {"do": "reject"})
    client.post(f"/c/{m.a.slug}/manage/moderation/bulk/", {"item_ids": [item.pk], "action": "reject"})
    assert _item(item).status == ItemStatus.OPEN
    client.post(f"/c/{m.a.slug}/manage/moderation/bulk/", {"item_ids": [item.pk], "action": "reject", "confirm": "yes"})
    assert _item(item).status == ItemStatus.REJECTED


def test_members_do_not_see_the_queue(mod, client):
    m = mod
    item = _open(m)
    client.force_login(m.carol.user)
    assert client.get(f"/c/{m.a.slug}/manage/moderation/").status_code == 403
    assert client.post(f"/c/{m.a.slug}/manage/moderation/items/{item.pk}/", {"do": "approve"}).status_code == 403
    assert _item(item).status == ItemStatus.OPEN


def test_the_queue_page_shows_the_author_history_and_links_to_sanctions(mod, client):
    m = mod
    item = _open(m)
    client.force_login(m.mia.user)
    body = client.get(f"/c/{m.a.slug}/manage/moderation/").content.decode()
    assert "Bob&#x27;s topic" in body or "Bob's topic" in body
    assert "0 earlier sanctions" in body
    detail = client.get(f"/c/{m.a.slug}/manage/moderation/items/{item.pk}/").content.decode()
    assert f"/manage/moderation/members/{m.bob.pk}/" in detail


def test_api_claim_act_and_bulk(mod):
    m = mod
    one, two = _open(m), _open(m, "reply", m.reply.pk, 0.6)
    mia, max_ = APIClient(), APIClient()
    mia.force_authenticate(m.mia.user)
    max_.force_authenticate(m.max.user)
    base = f"/api/v1/c/{m.a.slug}/moderation/queue/"
    listed = mia.get(base).json()["results"]
    assert [i["id"] for i in listed] == [one.pk, two.pk]  # by priority
    assert listed[0]["author"]["display_name"] == m.bob.display_name
    assert mia.post(f"{base}{one.pk}/claim/").json()["claimed_by_id"] == m.mia.pk
    conflict = max_.post(f"{base}{one.pk}/act/", {"action": "approve"}, format="json")
    assert conflict.status_code == 409 and conflict.json()["error"]["code"] == "conflict"
    bad = mia.post(f"{base}{one.pk}/act/", {"action": "explode"}, format="json")
    assert bad.status_code == 400 and "action" in bad.json()["error"]["fields"]
    done = mia.post(f"{base}{one.pk}/act/", {"action": "hide", "reason": "spam"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "hidden"
    bulk = max_.post(f"{base}bulk/", {"item_ids": [one.pk, two.pk], "action": "approve"}, format="json")
    assert bulk.json() == {"done": [two.pk], "skipped": [one.pk]}
    with community_scope(m.a.pk):
        assert Reply.objects.get(pk=m.reply.pk).deleted_at is None
    assert mia.get(f"{base}?status=nonsense").status_code == 400
    assert [i["id"] for i in mia.get(f"{base}?status=all").json()["results"]] == [one.pk, two.pk]


def test_api_open_is_the_scorers_entry_point_and_needs_the_write_scope(mod):
    m = mod
    _, reader = make_api_key(m.a, scopes=["moderation:read"])
    _, writer = make_api_key(m.a, scopes=["moderation:write"])
    body = {"subject_kind": "topic", "subject_id": m.topic.pk, "spam": 0.97, "reasons": ["links"]}
    url = "/api/v1/moderation/queue/open/"
    assert APIClient().post(url, body, format="json", HTTP_AUTHORIZATION=f"Bearer {reader}").status_code == 403
    made = APIClient().post(url, body, format="json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert made.status_code == 201 and made.json()["spam"] == 0.97
    again = APIClient().post(url, body, format="json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert again.json()["id"] == made.json()["id"]
    wrong = APIClient().post(url, {**body, "spam": 3}, format="json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert wrong.status_code == 400
    missing = APIClient().post(url, {**body, "subject_id": 10**9}, format="json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert missing.status_code == 404
