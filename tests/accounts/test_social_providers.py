"""Social login providers are switched on from settings (client ids from the environment)."""

from allauth.socialaccount.models import SocialApp


def test_configured_provider_is_offered_on_the_login_page(client, db, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "github": {"SCOPE": ["read:user"], "APPS": [{"client_id": "gh-id", "secret": "gh-secret", "key": ""}]},
    }
    body = client.get("/accounts/login/").content.decode()
    assert "GitHub" in body
    assert "/accounts/github/login/" in body


def test_unconfigured_providers_are_not_offered(client, db):
    assert not SocialApp.objects.exists()
    body = client.get("/accounts/login/").content.decode()
    assert "/accounts/github/login/" not in body
