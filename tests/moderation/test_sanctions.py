"""Sanctions: effects on pages and API, the rank rule, expiry by the beat, the member sees the reason."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from community.errors import ServiceError
from community.models import Member, MemberStatus, Role
from community.policy import SILENCED_TAG
from community.tenancy import community_scope
from discussions.models import Reply
from moderation.models import LogEntry, Sanction
from moderation.services.sanctions import sanction_issue, sanction_lift, sanctions_expire
from moderation.tasks import expire_sanctions_fanout_task
from tests.discussions.conftest import actor_for
from tests.factories import add_member, make_user

pytestmark = pytest.mark.django_db


def _issue(m, kind, member=None, by=None, days=3, **extra):
    with community_scope(m.a.pk):
        return _issue_here(m, kind, member, by, days, **extra)


def _issue_here(m, kind, member=None, by=None, days=3, **extra):
    return sanction_issue(
        community=m.a, actor=actor_for(m.a, by or m.mia), member=member or m.bob, kind=kind,
        reason="Spam links, see guideline 2", days=days, **extra,
    )  # fmt: skip


def _reload(member):
    with community_scope(member.community_id):
        return Member.objects.get(pk=member.pk)


def _reply_page(client, m):
    return client.post(f"/c/{m.a.slug}/d/t/{m.reply.topic_id}/reply/", {"body": "I am back"})


def _reply_api(m):
    api = APIClient()
    api.force_authenticate(m.bob.user)
    return api.post(f"/api/v1/c/{m.a.slug}/topics/{m.reply.topic_id}/replies/", {"body": "via api"}, format="json")


def _replies(m):
    with community_scope(m.a.pk):
        return Reply.objects.for_community(m.a).filter(author=m.bob).count()


def test_a_suspended_member_cannot_post_through_page_or_api_and_expiry_lifts_it(mod, client):
    m = mod
    client.force_login(m.bob.user)
    assert _reply_page(client, m).status_code == 302  # a control: bob posts while in good standing
    before = _replies(m)
    sanction = _issue(m, "suspend")
    assert _reload(m.bob).status == MemberStatus.SUSPENDED
    assert _reply_page(client, m).status_code in (403, 404)
    assert _reply_api(m).status_code in (403, 404)
    assert _replies(m) == before
    with community_scope(m.a.pk):
        Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
        assert sanctions_expire(community=m.a) == [sanction.pk]
    assert _reload(m.bob).status == MemberStatus.ACTIVE
    assert _reply_api(m).status_code == 201
    with community_scope(m.a.pk):
        assert LogEntry.objects.for_community(m.a).filter(action="sanction.lift", actor_label="system").exists()


def test_the_beat_fans_out_and_lifts_due_sanctions(mod, settings):
    m = mod
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from hearth.celery import app

    app.conf.task_always_eager = True
    try:
        sanction = _issue(m, "silence")
        with community_scope(m.a.pk):
            Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
        assert expire_sanctions_fanout_task() == 1
    finally:
        app.conf.task_always_eager = False
    assert SILENCED_TAG not in _reload(m.bob).tags
    with community_scope(m.a.pk):
        assert Sanction.objects.get(pk=sanction.pk).lifted_at is not None


def test_a_silenced_member_reads_but_cannot_post(mod, client):
    m = mod
    _issue(m, "silence")
    client.force_login(m.bob.user)
    assert client.get(f"/c/{m.a.slug}/d/t/{m.reply.topic_id}/").status_code == 200
    assert _reply_page(client, m).status_code == 403
    assert _reply_api(m).status_code == 403
    assert _reload(m.bob).status == MemberStatus.ACTIVE


def test_a_ban_outlives_a_lifted_suspension(scoped):
    m = scoped
    suspension = _issue_here(m, "suspend")
    _issue_here(m, "ban", by=m.alice, days=None)
    sanction_lift(community=m.a, actor=actor_for(m.a, m.alice), sanction=suspension, reason="ok")
    assert _reload(m.bob).status == MemberStatus.BANNED


def test_a_moderator_cannot_ban_and_nobody_sanctions_an_equal_or_higher_rank(scoped):
    m = scoped
    with pytest.raises(ServiceError) as error:
        _issue_here(m, "ban", days=None)
    assert error.value.code == "permission_denied"
    with pytest.raises(ServiceError):
        _issue_here(m, "suspend", member=m.max)  # moderator on moderator
    manager = add_member(m.a, make_user(), role=Role.MANAGER, display_name="manny")
    with pytest.raises(ServiceError):
        _issue_here(m, "warn", member=manager, by=m.mia)
    assert not Sanction.objects.for_community(m.a).exists()
    assert _reload(m.max).status == MemberStatus.ACTIVE


def test_a_suspension_needs_a_period_and_a_reason(scoped):
    m = scoped
    with pytest.raises(ServiceError) as error:
        _issue_here(m, "suspend", days=None)
    assert error.value.field == "days"
    with pytest.raises(ServiceError) as error:
        sanction_issue(community=m.a, actor=actor_for(m.a, m.mia), member=m.bob, kind="warn", reason=" ")
    assert error.value.field == "reason"


def test_the_suspended_member_sees_the_reason_on_their_notices_page(mod, client):
    m = mod
    _issue(m, "suspend", guideline="2. No spam")
    client.force_login(m.bob.user)
    page = client.get(f"/c/{m.a.slug}/moderation/notices/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Spam links, see guideline 2" in body and "2. No spam" in body and "Suspended" in body
    client.force_login(m.carol.user)
    assert "Spam links" not in client.get(f"/c/{m.a.slug}/moderation/notices/").content.decode()


def test_a_suspended_member_gets_no_notification_emails(mod):
    from django.core import mail

    from discussions.models import Notification
    from discussions.services.notifications import notification_emails_send

    m = mod
    with community_scope(m.a.pk):
        note = Notification.objects.create(community=m.a, recipient=m.bob, kind="reply", topic=m.topic)
    _issue(m, "suspend")
    with community_scope(m.a.pk):
        notification_emails_send(community=m.a, notification_ids=[note.pk])
    assert mail.outbox == []


def test_sanctions_through_the_api(mod):
    m = mod
    api = APIClient()
    api.force_authenticate(m.mia.user)
    url = f"/api/v1/c/{m.a.slug}/moderation/sanctions/"
    bad = api.post(url, {"member_id": m.bob.pk, "kind": "suspend", "reason": "x"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"days": bad.json()["error"]["fields"]["days"]}
    made = api.post(url, {"member_id": m.bob.pk, "kind": "suspend", "reason": "spam", "days": 2}, format="json")
    assert made.status_code == 201 and made.json()["is_active"]
    lifted = api.post(f"{url}{made.json()['id']}/lift/", {"reason": "sorry"}, format="json")
    assert lifted.status_code == 200 and lifted.json()["lifted_reason"] == "sorry"
    assert _reload(m.bob).status == MemberStatus.ACTIVE
    missing = api.post(url, {"member_id": 99999999, "kind": "warn", "reason": "x"}, format="json")
    assert missing.status_code == 404
    reader = APIClient()
    from tests.factories import make_api_key

    _, key = make_api_key(m.a, scopes=["moderation:read"])
    refused = reader.post(
        "/api/v1/moderation/sanctions/", {"member_id": m.bob.pk, "kind": "warn", "reason": "x"}, format="json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert refused.status_code == 403
    assert reader.get("/api/v1/moderation/sanctions/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
