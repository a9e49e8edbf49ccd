"""Custom domains: a community is served on its own host only once its admins proved they control that host.

Setting a domain stores it as *requested* with a fresh challenge token; nothing is served there yet. The admins put
a DNS TXT record `_hearth-challenge.<domain>` with the value `hearth-verify=<token>`, then ask for verification;
when the record is found the domain becomes active (`domain_verified_at`) and the custom-domain middleware maps
it. Changing the domain starts over. The platform's own hosts (`HEARTH_PLATFORM_HOSTS`) and their subdomains can
never be claimed, so no tenant can take over `/`, `/hooks/` or another tenant's pages.
"""

import ipaddress
import re
import secrets

import dns.exception
import dns.resolver
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community
from community.policy import Actor, can
from community.selectors import domain_cache_key

CHALLENGE_PREFIX = "_hearth-challenge"
CHALLENGE_VALUE_PREFIX = "hearth-verify="
DNS_LIFETIME = 4.0  # seconds for the whole lookup: a verification someone waits for
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def platform_hosts() -> set[str]:
    """The hosts Hearth itself answers on: never a tenant's custom domain."""
    hosts = {host.lower().lstrip(".") for host in settings.HEARTH_PLATFORM_HOSTS if host and host != "*"}
    return hosts | {"localhost", "testserver"}


def domain_normalize(value: str) -> str:
    """The domain as stored (IDNA A-label, lower case, no trailing dot), or a ServiceError saying what is wrong."""
    raw = (value or "").strip()
    if not raw:
        raise ServiceError("Enter a domain.", field="domain")
    if "://" in raw or any(ch in raw for ch in "/?#@: \t\r\n\x00\\"):
        raise ServiceError(
            "Enter the host name only, like forum.example.com (no http://, path, port or spaces).", field="domain"
        )
    try:
        domain = raw.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ServiceError("This is not a valid domain name.", field="domain") from None
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        pass
    else:
        raise ServiceError("Use a domain name, not an IP address.", field="domain")
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ServiceError("This is not a valid domain name.", field="domain")
    if labels[-1].isdigit():
        raise ServiceError("This is not a valid domain name.", field="domain")
    for host in platform_hosts():
        if domain == host or domain.endswith("." + host):
            raise ServiceError("This domain belongs to the platform itself and cannot be used.", field="domain")
    return domain


def domain_request(*, community: Community, actor: Actor, domain: str | None) -> Community:
    """Ask for `domain` (or none): stored unverified with a new challenge; served only after verification."""
    if not can(actor, "community.update"):
        raise ServiceError("Only admins change the community's settings.", code="permission_denied")
    normalized = domain_normalize(domain) if domain else None
    if normalized == community.domain:
        return community
    if normalized and Community.objects.filter(domain=normalized).exclude(pk=community.pk).exists():
        raise ServiceError("Another community has asked for this domain.", code="conflict", field="domain")
    old = community.domain
    community.domain = normalized
    community.domain_verified_at = None
    community.domain_token = secrets.token_urlsafe(24) if normalized else ""
    community.save(update_fields=["domain", "domain_verified_at", "domain_token"])
    _forget([old, normalized])
    return community


def domain_challenge(community: Community) -> dict | None:
    """What to publish to prove control of the requested domain, or None without one."""
    if not community.domain:
        return None
    return {
        "type": "dns-txt",
        "name": f"{CHALLENGE_PREFIX}.{community.domain}",
        "value": f"{CHALLENGE_VALUE_PREFIX}{community.domain_token}",
    }


def _txt_values(name: str) -> list[str]:
    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=DNS_LIFETIME)
    except (dns.exception.DNSException, OSError):
        return []
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def domain_verify(*, community: Community, actor: Actor) -> Community:
    """Look for the TXT record; on success the domain is served from now on. Raises ServiceError when missing."""
    if not can(actor, "community.update"):
        raise ServiceError("Only admins change the community's settings.", code="permission_denied")
    challenge = domain_challenge(community)
    if challenge is None:
        raise ServiceError("Set a domain first.", field="domain")
    if community.domain_verified_at is not None:
        return community
    if challenge["value"] not in _txt_values(challenge["name"]):
        raise ServiceError(
            f"The TXT record {challenge['name']} with the value {challenge['value']} was not found yet. "
            "DNS changes can take a while to appear; try again in a few minutes.",
            code="domain_unverified",
            field="domain",
        )
    community.domain_verified_at = timezone.now()
    community.save(update_fields=["domain_verified_at"])
    _forget([community.domain])
    return community


def _forget(domains: list[str | None]) -> None:
    """The custom-domain middleware caches host -> slug: drop the entries this change affects, after commit."""
    stale = [domain_cache_key(domain) for domain in domains if domain]
    if stale:
        transaction.on_commit(lambda: cache.delete_many(stale))
