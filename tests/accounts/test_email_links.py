"""Every absolute link in email is built on HEARTH_BASE_URL, never the request's Host header (issue 14, Low 10)."""

import re

from django.core import mail
from django.test import override_settings

EVIL = "evil.example"
BASE = "https://community.example.com"


def _links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s/]+", body)


@override_settings(ALLOWED_HOSTS=[EVIL, "testserver"], HEARTH_BASE_URL=BASE)
def test_password_reset_link_ignores_a_poisoned_host_header(client, world):
    client.post("/accounts/password/reset/", {"email": "alice@example.com"}, HTTP_HOST=EVIL)
    (message,) = mail.outbox
    assert "/accounts/password/reset/key/" in message.body
    assert EVIL not in message.body
    assert BASE in message.body


@override_settings(ALLOWED_HOSTS=[EVIL, "testserver"], HEARTH_BASE_URL=BASE)
def test_invitation_link_ignores_a_poisoned_host_header(
    client, world, django_capture_on_commit_callbacks, eager_celery
):
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/c/alpha/manage/invitations/", {"email": "dora@example.com", "role": "member"}, HTTP_HOST=EVIL)
    (message,) = mail.outbox
    assert "/c/alpha/invitations/" in message.body
    assert EVIL not in message.body and set(_links(message.body)) == {BASE}
