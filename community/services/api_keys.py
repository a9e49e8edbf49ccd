"""API keys: minted with a random secret shown once, stored as a SHA-256 hash, revocable."""

import hashlib
import secrets

from django.utils import timezone

from community.errors import ServiceError
from community.models import ApiKey, Community
from community.policy import Actor, can
from community.registry import api_scopes

KEY_PREFIX = "hth"


def hash_key(raw_key: str) -> str:
    # Keys carry 256 bits of randomness, so a fast hash is right here (a slow KDF is for passwords).
    return hashlib.sha256(raw_key.encode()).hexdigest()


def split_key(raw_key: str) -> str | None:
    """Return the lookup prefix of a well-formed key, None otherwise."""
    parts = raw_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12:
        return None
    return parts[1]


def api_key_create(*, community: Community, actor: Actor, name: str, scopes: list[str]) -> tuple[ApiKey, str]:
    """Return the key and its secret, which is never shown again."""
    if not can(actor, "api_keys.manage"):
        raise ServiceError("Only admins manage API keys.", code="permission_denied")
    unknown = sorted(set(scopes) - set(api_scopes()))
    if unknown:
        raise ServiceError(f"Unknown scopes: {', '.join(unknown)}.", field="scopes")
    if not scopes:
        raise ServiceError("Choose at least one scope.", field="scopes")
    if not name.strip():
        raise ServiceError("Give the key a name.", field="name")
    prefix = secrets.token_hex(6)
    raw_key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        community=community,
        name=name.strip(),
        prefix=prefix,
        hashed_key=hash_key(raw_key),
        scopes=sorted(set(scopes)),
        created_by_id=actor.user_id,
    )
    return key, raw_key


def api_key_revoke(*, community: Community, actor: Actor, api_key: ApiKey) -> ApiKey:
    if not can(actor, "api_keys.manage"):
        raise ServiceError("Only admins manage API keys.", code="permission_denied")
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
    return api_key


def api_key_verify(raw_key: str, stored: ApiKey) -> bool:
    return secrets.compare_digest(hash_key(raw_key), stored.hashed_key)
