"""Invitation mail leaves from the worker, with retries, once (issue 14: an unreachable mail server made
`POST /api/v1/invitations/` a 500)."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from community.models import Invitation
from community.tasks import send_invitation_task
from community.tenancy import community_scope

UNREACHABLE_SMTP = {
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": 1,  # nothing listens there: connection refused at once
    "EMAIL_TIMEOUT": 2,
}


def _invite(client, world, email="dora@example.com"):
    return client.post(
        "/api/v1/invitations/",
        {"email": email, "role": "member"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.a_key}",
    )


def _invitation(world, email="dora@example.com") -> Invitation:
    with community_scope(world.a.pk):
        return Invitation.objects.for_community(world.a).get(email=email)


def test_an_unreachable_mail_server_does_not_fail_the_request(
    client, world, settings, django_capture_on_commit_callbacks
):
    for name, value in UNREACHABLE_SMTP.items():
        setattr(settings, name, value)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _invite(client, world)
    assert response.status_code == 201, response.content
    assert len(callbacks) == 1  # the task is sent after commit; the mail itself is the worker's
    assert _invitation(world).email_sent_at is None


def test_the_worker_retries_while_the_server_is_down_then_sends_exactly_once(
    transactional_db, client, world, settings, django_capture_on_commit_callbacks
):
    # Committed for real, as in the worker: a failed attempt rolls its own transaction back, not the test's.
    with django_capture_on_commit_callbacks(execute=False):
        assert _invite(client, world).status_code == 201
    invitation = _invitation(world)
    assert OSError in send_invitation_task.autoretry_for  # connection refused, timeouts, DNS failures

    for name, value in UNREACHABLE_SMTP.items():
        setattr(settings, name, value)
    failed = send_invitation_task.apply(args=(world.a.pk, invitation.pk))
    assert failed.failed() and isinstance(failed.result, OSError)
    assert _invitation(world).email_sent_at is None and mail.outbox == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_invitation_task.apply(args=(world.a.pk, invitation.pk)).result is True
    assert send_invitation_task.apply(args=(world.a.pk, invitation.pk)).result is False  # a re-delivery
    (message,) = mail.outbox
    assert message.to == ["dora@example.com"] and "/c/alpha/invitations/" in message.body
    assert _invitation(world).email_sent_at is not None


def test_revoked_and_expired_invitations_are_not_mailed(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _invite(client, world, "rev@example.com")
        _invite(client, world, "old@example.com")
    revoked, expired = _invitation(world, "rev@example.com"), _invitation(world, "old@example.com")
    with community_scope(world.a.pk):
        Invitation.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
        Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    for invitation in (revoked, expired):
        assert send_invitation_task.apply(args=(world.a.pk, invitation.pk)).result is False
    assert mail.outbox == []
