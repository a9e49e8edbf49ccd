"""System checks of the core: the local-development switches are refused on a public deployment."""

from django.conf import settings
from django.core.checks import Error, register

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1", "testserver"})


@register("hearth")
def local_mode_only_on_loopback(app_configs, **kwargs) -> list[Error]:
    # HEARTH_LOCAL brings the public dev SECRET_KEY and no HTTPS redirect: fine on loopback, a takeover on a real host.
    if not settings.LOCAL or settings.DEBUG or settings.TESTING:
        return []
    public = [host for host in settings.ALLOWED_HOSTS if host.lower() not in LOOPBACK_HOSTS]
    if not public:
        return []
    return [
        Error(
            f"HEARTH_LOCAL=1 with DEBUG=0 on non-loopback hosts {public}.",
            hint="HEARTH_LOCAL is for `make run` on this machine; unset it in production.",
            id="hearth.E002",
        )
    ]


@register("hearth")
def outbound_loopback_only_in_development(app_configs, **kwargs) -> list[Error]:
    # Letting channel URLs reach loopback turns every tenant's feed URL into a probe of this server's own services.
    if not settings.HEARTH_OUTBOUND_ALLOW_LOOPBACK or settings.DEBUG or settings.TESTING:
        return []
    return [
        Error(
            "HEARTH_OUTBOUND_ALLOW_LOOPBACK=1 with DEBUG=0.",
            hint="It lets tenant-chosen URLs reach services on this machine; use it only in local development.",
            id="hearth.E003",
        )
    ]
