"""Encryption at rest of channel credentials: MultiFernet over settings.HEARTH_FERNET_KEYS (newest first)."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _keys() -> list[bytes]:
    keys = [key.encode() for key in settings.HEARTH_FERNET_KEYS]
    if keys:
        return keys
    if settings.DEBUG or getattr(settings, "TESTING", False) or getattr(settings, "LOCAL", False):
        # Development only: a key derived from SECRET_KEY so `make run` and the tests work out of the box.
        digest = hashlib.sha256(b"hearth-channel-credentials:" + settings.SECRET_KEY.encode()).digest()
        return [base64.urlsafe_b64encode(digest)]
    raise ImproperlyConfigured("Set HEARTH_FERNET_KEYS (comma-separated Fernet keys, newest first).")


def cipher() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt_json(value: dict) -> str:
    if not value:
        return ""
    return cipher().encrypt(json.dumps(value, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(cipher().decrypt(token.encode()))
    except InvalidToken:
        raise ImproperlyConfigured("Channel credentials cannot be decrypted with HEARTH_FERNET_KEYS.") from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (after a key was prepended to HEARTH_FERNET_KEYS)."""
    return cipher().rotate(token.encode()).decode() if token else token


def mask(secret: str) -> str:
    """Enough to recognise a secret, never enough to use it."""
    secret = str(secret or "")
    if len(secret) <= 8:
        return "••••" if secret else ""
    return f"••••{secret[-4:]}"
