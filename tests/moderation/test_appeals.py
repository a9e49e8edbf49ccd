"""Appeals: once per sanction, into the queue, decided once, the outcome shown to the member."""

import pytest

from community.errors import ServiceError
from community.models import Member, MemberStatus
from community.tenancy import community_scope
from moderation.models import Appeal, AppealStatus, ItemStatus, QueueItem
from moderation.services.queue import queue_item_claim
from moderation.services.sanctions import appeal_create, appeal_decide, sanction_issue
from tests.discussions.conftest import actor_for

pytestmark = pytest.mark.django_db


def _suspend(m):
    return sanction_issue(
        community=m.a, actor=actor_for(m.a, m.mia), member=m.bob, kind="suspend", reason="Spam", days=7
    )


def test_an_appeal_enters_the_queue_once_per_sanction(scoped):
    m = scoped
    sanction = _suspend(m)
    appeal = appeal_create(community=m.a, member=m.bob, sanction=sanction, body="It was a mistake")
    item = QueueItem.objects.for_community(m.a).get(subject_kind="appeal")
    assert item.subject_id == appeal.pk and item.author_id == m.bob.pk and "mistake" in item.excerpt
    with pytest.raises(ServiceError) as error:
        appeal_create(community=m.a, member=m.bob, sanction=sanction, body="Again")
    assert error.value.code == "conflict"
    assert Appeal.objects.for_community(m.a).count() == 1


def test_only_the_sanctioned_member_appeals(scoped):
    m = scoped
    sanction = _suspend(m)
    with pytest.raises(ServiceError) as error:
        appeal_create(community=m.a, member=m.carol, sanction=sanction, body="Free bob")
    assert error.value.code == "not_found"


def test_granting_lifts_the_sanction_and_closes_the_item(scoped):
    m = scoped
    appeal = appeal_create(community=m.a, member=m.bob, sanction=_suspend(m), body="Sorry")
    appeal_decide(community=m.a, actor=actor_for(m.a, m.max), appeal=appeal, grant=True, note="Fair enough")
    assert Member.objects.get(pk=m.bob.pk).status == MemberStatus.ACTIVE
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.GRANTED and appeal.outcome_note == "Fair enough"
    assert QueueItem.objects.for_community(m.a).get(subject_kind="appeal").status == ItemStatus.APPROVED
    with pytest.raises(ServiceError):
        appeal_decide(community=m.a, actor=actor_for(m.a, m.max), appeal=appeal, grant=False)


def test_an_appeal_held_by_one_moderator_cannot_be_decided_by_another(scoped):
    m = scoped
    appeal = appeal_create(community=m.a, member=m.bob, sanction=_suspend(m), body="Sorry")
    item = QueueItem.objects.for_community(m.a).get(subject_kind="appeal")
    queue_item_claim(community=m.a, actor=actor_for(m.a, m.mia), item=item)
    with pytest.raises(ServiceError) as error:
        appeal_decide(community=m.a, actor=actor_for(m.a, m.max), appeal=appeal, grant=True)
    assert error.value.code == "conflict"
    assert Member.objects.get(pk=m.bob.pk).status == MemberStatus.SUSPENDED


def test_denied_stands_and_the_suspended_member_appeals_and_reads_the_outcome_on_their_page(mod, client):
    m = mod
    with community_scope(m.a.pk):
        sanction = _suspend(m)
    client.force_login(m.bob.user)
    response = client.post(f"/c/{m.a.slug}/moderation/notices/{sanction.pk}/appeal/", {"body": "Please"})
    assert response.status_code == 302
    with community_scope(m.a.pk):
        appeal = Appeal.objects.for_community(m.a).get()
        appeal_decide(community=m.a, actor=actor_for(m.a, m.mia), appeal=appeal, grant=False, note="Links were spam")
        assert Member.objects.get(pk=m.bob.pk).status == MemberStatus.SUSPENDED
    body = client.get(f"/c/{m.a.slug}/moderation/notices/").content.decode()
    assert "Denied: the sanction stands" in body and "Links were spam" in body
    assert "Appeal this decision" not in body
