"""SaaS onboarding through the pages: create a community, invite a teammate, join public, ask to join private."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from community.models import Community, Invitation, Member, MemberStatus, Role, Visibility
from community.tenancy import community_scope
from tests.factories import make_user


def test_signed_in_user_creates_a_community_and_becomes_owner(client, db):
    user = make_user("founder@example.com")
    client.force_login(user)
    response = client.post("/communities/new/", {"name": "Rustaceans", "slug": "rust", "visibility": "public"})
    assert response.status_code == 302
    assert response["Location"] == "/c/rust/manage/"
    community = Community.objects.get(slug="rust")
    with community_scope(community.pk):
        member = Member.objects.for_community(community).get(user=user)
    assert member.role == Role.OWNER
    assert client.get("/c/rust/manage/").status_code == 200


def test_taken_address_is_an_error_on_the_form(client, world):
    client.force_login(world.bob)
    response = client.post("/communities/new/", {"name": "Again", "slug": "alpha", "visibility": "public"})
    assert response.status_code == 200
    assert "is taken" in response.content.decode()


def test_admin_invites_by_email_and_the_invitee_accepts(
    client, world, django_capture_on_commit_callbacks, eager_celery
):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/c/alpha/manage/invitations/", {"email": "dora@example.com", "role": "moderator"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/c/alpha/invitations/[^\s]+/)", mail.outbox[0].body).group(1)
    dora = make_user("dora@example.com")
    client.force_login(dora)
    assert "moderator" in client.get(link).content.decode().lower()
    assert client.post(link).status_code == 302
    with community_scope(world.a.pk):
        assert Member.objects.for_community(world.a).get(user=dora).role == Role.MODERATOR
        assert Invitation.objects.for_community(world.a).get(email="dora@example.com").accepted_at is not None
    assert client.post(link).status_code == 400  # used once only


def test_invitation_for_someone_else_is_refused(client, world, django_capture_on_commit_callbacks, eager_celery):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/c/alpha/manage/invitations/", {"email": "dora@example.com", "role": "member"})
    link = re.search(r"https?://[^/]+(/c/alpha/invitations/[^\s]+/)", mail.outbox[0].body).group(1)
    client.force_login(world.charlie)
    response = client.post(link)
    assert response.status_code == 400
    assert "dora@example.com" in response.content.decode()


def test_tampered_invitation_link_is_a_404(client, world, django_capture_on_commit_callbacks, eager_celery):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/c/alpha/manage/invitations/", {"email": "dora@example.com", "role": "member"})
    link = re.search(r"https?://[^/]+(/c/alpha/invitations/[^\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_member_cannot_invite(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.bob)
    response = client.post("/c/alpha/manage/invitations/", {"email": "x@example.com", "role": "member"})
    assert response.status_code == 403
    assert mail.outbox == []


def test_joining_a_public_community_is_immediate(client, world):
    client.force_login(world.charlie)
    client.post("/c/alpha/join/")
    with community_scope(world.a.pk):
        assert Member.objects.for_community(world.a).get(user=world.charlie).status == MemberStatus.ACTIVE


def test_private_community_join_needs_staff_approval(client, world):
    world.a.visibility = Visibility.PRIVATE
    world.a.save()
    client.force_login(world.charlie)
    response = client.get("/c/alpha/")
    assert response.status_code == 404  # outsiders do not see a private community...
    assert "Alpha" not in response.content.decode()
    assert "Ask to join" in response.content.decode()  # ...but may ask to join it
    client.post("/c/alpha/join/")
    with community_scope(world.a.pk):
        member = Member.objects.for_community(world.a).get(user=world.charlie)
    assert member.status == MemberStatus.PENDING
    client.force_login(world.alice)
    client.post(f"/c/alpha/manage/members/{member.pk}/", {"approve": "1"})
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_a_manager_declines_a_request_to_join_and_the_person_may_ask_again(client, world):
    world.a.visibility = "private"
    world.a.save()
    client.force_login(world.charlie)
    client.post("/c/alpha/join/")
    with community_scope(world.a.pk):
        member = Member.objects.for_community(world.a).get(user=world.charlie)
    client.force_login(world.bob)  # a plain member may not decide
    assert client.post(f"/c/alpha/manage/members/{member.pk}/", {"decline": "1"}).status_code == 403
    client.force_login(world.alice)
    assert "Decline" in client.get("/c/alpha/manage/members/").content.decode()
    client.post(f"/c/alpha/manage/members/{member.pk}/", {"decline": "1"})
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=member.pk).status == MemberStatus.LEFT
    client.force_login(world.charlie)
    client.post("/c/alpha/join/")
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=member.pk).status == MemberStatus.PENDING


def test_landing_lists_my_communities_across_tenants(client, world):
    client.force_login(world.bob)
    body = client.get("/").content.decode()
    assert "Alpha" in body


def test_dashboard_is_staff_only(client, world):
    client.force_login(world.bob)
    assert client.get("/c/alpha/manage/").status_code == 403
    client.force_login(world.alice)
    body = client.get("/c/alpha/manage/").content.decode()
    for area, href in (
        ("Members", "/c/alpha/manage/members/"),
        ("Discussions", "/c/alpha/d/"),
        ("Channels", "/c/alpha/manage/channels/"),
        ("Settings", "/c/alpha/manage/settings/"),
        ("Insights", "/c/alpha/manage/insights/"),
        ("Moderation", "/c/alpha/manage/moderation/"),
    ):
        assert f'href="{href}"' in body and area in body
    # Only built areas are advertised, and no catch-all answers for an area that does not exist.
    assert "Advocacy" not in body
    assert client.get("/c/alpha/manage/advocacy/").status_code == 404


def test_custom_domain_serves_the_community(client, world):
    world.a.domain = "forum.alpha.example"
    world.a.domain_verified_at = timezone.now()  # verification itself: tests/community/test_custom_domains.py
    world.a.save()
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=["forum.alpha.example", "testserver"]):
        response = client.get("/", HTTP_HOST="forum.alpha.example")
    assert response.status_code == 200
    assert "Alpha" in response.content.decode()


def _owner_actor(community):
    from community.policy import Actor
    from tests.factories import owner_of

    owner = owner_of(community)
    return Actor(community=community, user_id=owner.user_id, member=owner)


def test_a_moderator_cannot_change_the_community_and_nothing_changes(world):
    from community.errors import ServiceError
    from community.policy import Actor
    from community.services.communities import community_update

    with community_scope(world.a.pk):
        world.bob_member.role = "moderator"
        world.bob_member.save(update_fields=["role"])
        actor = Actor(community=world.a, user_id=world.bob.pk, member=world.bob_member)
        with pytest.raises(ServiceError):
            community_update(community=world.a, actor=actor, name="Taken over", visibility="private")
    world.a.refresh_from_db()
    assert world.a.name == "Alpha" and world.a.visibility == "public"


def test_changing_the_custom_domain_takes_effect_at_once(client, world, django_capture_on_commit_callbacks):
    from django.test import override_settings

    from community.services.communities import community_update

    hosts = ["old.alpha.example", "new.alpha.example", "testserver"]
    actor = _owner_actor(world.a)
    community_update(community=world.a, actor=actor, domain="old.alpha.example")
    Community.objects.filter(pk=world.a.pk).update(domain_verified_at=timezone.now())
    with override_settings(ALLOWED_HOSTS=hosts):
        assert client.get("/", HTTP_HOST="old.alpha.example").context["community"] == world.a  # now cached
        with django_capture_on_commit_callbacks(execute=True):
            community_update(community=world.a, actor=actor, domain="new.alpha.example")
            Community.objects.filter(pk=world.a.pk).update(domain_verified_at=timezone.now())
        assert client.get("/", HTTP_HOST="new.alpha.example").context["community"] == world.a
        assert "community" not in (client.get("/", HTTP_HOST="old.alpha.example").context or {})


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_probing_slugs_cannot_tell_a_private_community_from_a_missing_one(client, world):
    world.b.visibility = Visibility.PRIVATE
    world.b.save()
    private, missing = "/c/bravo/", "/c/no-such-community/"
    anonymous = [client.get(path) for path in (private, missing)]
    assert [r.status_code for r in anonymous] == [302, 302]
    assert all(r["Location"].startswith("/accounts/login/") for r in anonymous)

    client.force_login(world.bob)  # signed in, member of neither
    signed_in = [client.get(path) for path in (private, missing)]
    assert [r.status_code for r in signed_in] == [404, 404]
    bodies = [
        re.sub(r"[A-Za-z0-9]{64}", "<csrf>", r.content.decode()).replace("no-such-community", "bravo")
        for r in signed_in
    ]  # the same page but for the masked CSRF token, which differs on every response
    import difflib

    assert bodies[0] == bodies[1], "\n".join(difflib.unified_diff(bodies[0].splitlines(), bodies[1].splitlines()))
