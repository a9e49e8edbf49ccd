"""App config of integrations: registers the channel pages, API, webhooks, menu entry, scopes and actions."""

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.models import Role
        from community.policy import RANK
        from community.registry import AppContribution, MenuEntry, register
        from integrations import checks  # noqa: F401  (registers the system checks)

        register(
            AppContribution(
                label="integrations",
                community_urls=(("manage/channels/", "integrations.urls"),),
                api_urls=("integrations.api.urls",),
                # Channel webhooks: the tenant comes from the connection id in the path, verified by signature.
                root_urls=(("hooks/", "integrations.webhook_urls"),),
                menu=(MenuEntry("Channels", "community:integrations:channel_list", "channels.view", order=60),),
                scope_areas=("channels",),
                actions={
                    "channels.view": (RANK[Role.MANAGER], "channels:read"),
                    "channels.manage": (RANK[Role.MANAGER], "channels:write"),
                },
            )
        )
