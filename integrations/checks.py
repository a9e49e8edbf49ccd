"""System checks of integrations: production refuses to start without keys for channel credentials."""

from django.conf import settings
from django.core.checks import Error, register


@register("hearth")
def fernet_keys_configured(app_configs, **kwargs) -> list[Error]:
    # Without keys the first channel save is a 500; refusing at start names the missing setting instead.
    if settings.HEARTH_FERNET_KEYS or settings.DEBUG or settings.TESTING or settings.LOCAL:
        return []
    return [
        Error(
            "HEARTH_FERNET_KEYS is not set: channel credentials cannot be encrypted.",
            hint="Set HEARTH_FERNET_KEYS to comma-separated Fernet keys, newest first.",
            id="hearth.E001",
        )
    ]
