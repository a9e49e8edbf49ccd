"""The allauth account adapter: links in account email are built on HEARTH_BASE_URL; failed logins are limited
per address and account together.

A request's Host header is the sender's to choose; a reset or confirmation link built from it would carry the token to
whatever host an attacker put there (host-header poisoning).

allauth limits failed logins per IP and per account. Per account alone, anyone could lock a user out by typing wrong
passwords for their email. Here the tight per-account limit counts per (account, IP address): a stranger's failures
lock out only the stranger's address. A looser per-account limit across all addresses (`login_failed_account`)
still slows a password guess spread over many addresses.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
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

    def _account_key(self, request, **credentials) -> str:
        return super()._get_login_attempts_cache_key(request, **credentials)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        return f"{self._account_key(request, **credentials)}:{ratelimit.get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        super().pre_authenticate(request, **credentials)  # per IP, and per (account, IP)
        self._account_rl_usage = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed_account",
            key=self._account_key(request, **credentials),
        )
        if not self._account_rl_usage:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()
