"""The allauth account adapter: every absolute link in account email is built on HEARTH_BASE_URL, not the request.

A request's Host header is the sender's to choose; a reset or confirmation link built from it would carry the token to
whatever host an attacker put there (host-header poisoning).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


def on_base_url(url: str) -> str:
    """`url`'s path, query and fragment on the deployment's public address."""
    base = urlsplit(settings.HEARTH_BASE_URL)
    bits = urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, bits.path, bits.query, bits.fragment))


@dataclass(frozen=True)
class PublicSite:
    """What account email templates call `current_site`: Hearth on its public address, not the Host header."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        domain = urlsplit(settings.HEARTH_BASE_URL).netloc
        super().send_mail(template_prefix, email, {"current_site": PublicSite("Hearth", domain), **context})

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_base_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_base_url(super().get_email_confirmation_url(request, emailconfirmation))
