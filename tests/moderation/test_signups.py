"""Held sign-ups (issue 15): a request to join a private community waits in the moderation queue beside held posts,
and is decided there by the core's own services and permission (managers), or drops out once decided elsewhere."""

import pytest

from community.errors import ServiceError
from community.models import Member, MemberStatus, Role
from community.policy import Actor
from community.tenancy import community_scope
from moderation.models import ItemStatus, QueueItem
from moderation.selectors import queue_list
from moderation.services.queue import queue_item_act
from tests.factories import add_member, make_community, make_user


@pytest.fixture
def private(db):
    owner = make_user("owner@example.com")
    community = make_community(owner, slug="inner", visibility="private")
    return community


def _ask(client, community, email="dora@example.com", django_capture_on_commit_callbacks=None):
    user = make_user(email)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/c/{community.slug}/join/").status_code in (200, 302)
    with community_scope(community.pk):
        member = Member.objects.for_community(community).get(user=user)
        item = QueueItem.objects.for_community(community).filter(subject_kind="signup", subject_id=member.pk).first()
    return member, item


def _actor(community, role):
    member = add_member(community, make_user(f"{role}@example.com"), role=role, display_name=role)
    return Actor(community=community, user_id=member.user_id, member=member)


def test_asking_to_join_opens_a_queue_item_and_a_manager_lets_them_in(
    client, private, eager_celery, django_capture_on_commit_callbacks
):
    member, item = _ask(client, private, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    assert member.status == MemberStatus.PENDING
    assert item is not None and item.status == ItemStatus.OPEN and item.source == "signup"
    assert item.title == "Request to join: dora" and "example.com" in item.excerpt and item.author_id == member.pk
    with community_scope(private.pk):
        queue_item_act(community=private, actor=_actor(private, Role.MANAGER), item=item, action="approve")
        member.refresh_from_db()
        item.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE and item.status == ItemStatus.APPROVED


def test_a_request_turned_down_leaves_them_outside_and_a_moderator_may_not_decide(
    client, private, eager_celery, django_capture_on_commit_callbacks
):
    member, item = _ask(client, private, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    with community_scope(private.pk):
        with pytest.raises(ServiceError, match="requests to join"):
            queue_item_act(community=private, actor=_actor(private, Role.MODERATOR), item=item, action="reject")
        item.refresh_from_db()
        assert item.status == ItemStatus.OPEN  # the refusal changed nothing
        with pytest.raises(ServiceError, match="approve or reject"):
            queue_item_act(community=private, actor=_actor(private, Role.MANAGER), item=item, action="hide")
        queue_item_act(community=private, actor=_actor(private, Role.ADMIN), item=item, action="reject")
        member.refresh_from_db()
        item.refresh_from_db()
    assert member.status == MemberStatus.LEFT and item.status == ItemStatus.REJECTED


def test_a_request_decided_on_the_members_page_drops_out_of_the_queue(
    client, private, eager_celery, django_capture_on_commit_callbacks
):
    member, item = _ask(client, private, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    with community_scope(private.pk):
        assert [i.pk for i in queue_list(community=private)] == [item.pk]
        Member.objects.filter(pk=member.pk).update(status=MemberStatus.ACTIVE)
        assert list(queue_list(community=private)) == []


def test_joining_a_public_community_queues_nothing(client, world, eager_celery, django_capture_on_commit_callbacks):
    client.force_login(world.charlie)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/c/alpha/join/")
    with community_scope(world.a.pk):
        assert not QueueItem.objects.for_community(world.a).filter(subject_kind="signup").exists()


def test_the_item_page_offers_let_in_and_turn_down(client, private, eager_celery, django_capture_on_commit_callbacks):
    member, item = _ask(client, private, django_capture_on_commit_callbacks=django_capture_on_commit_callbacks)
    manager = _actor(private, Role.MANAGER)
    client.force_login(manager.member.user)
    page = client.get(f"/c/inner/manage/moderation/items/{item.pk}/").content.decode()
    assert "Let them in" in page and "Turn the request down" in page and "Remove this for good" not in page
    client.post(f"/c/inner/manage/moderation/items/{item.pk}/", {"do": "reject"})
    with community_scope(private.pk):
        assert Member.objects.get(pk=member.pk).status == MemberStatus.LEFT
