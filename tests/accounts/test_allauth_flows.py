"""Accounts through django-allauth: sign-up with email verification, login throttling, password reset, TOTP MFA."""

import re
import time

from allauth.mfa.totp.internal.auth import hotp_value
from django.core import mail

from tests.factories import PASSWORD, make_user


def test_signup_requires_email_verification(client, db, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.post(
        "/accounts/signup/", {"email": "newbie@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert "Confirm" in mail.outbox[0].subject or "confirm" in mail.outbox[0].body.lower()
    link = re.search(r"https?://[^/]+(/accounts/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    assert client.post(link).status_code == 302
    response = client.post("/accounts/login/", {"login": "newbie@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_login_with_email_and_password(client, db):
    make_user("ann@example.com")
    response = client.post("/accounts/login/", {"login": "ann@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "ann@example.com"


def test_repeated_failed_logins_are_throttled(client, db):
    make_user("target@example.com")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "target@example.com", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "target@example.com", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, db):
    make_user("forgetful@example.com")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_totp_mfa_is_required_at_login_once_enabled(client, db):
    make_user("careful@example.com")
    client.post("/accounts/login/", {"login": "careful@example.com", "password": PASSWORD})
    # Enabling MFA is a sensitive change: allauth asks for the password again first.
    assert "/accounts/reauthenticate/" in client.get("/accounts/2fa/totp/activate/")["Location"]
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = f"{hotp_value(secret, int(time.time() // 30)):06d}"
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"login": "careful@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
