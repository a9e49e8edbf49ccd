"""App config for community: the post-migrate grants for the application role, and the core's dashboard menu."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommunityConfig(AppConfig):
    name = "community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community import checks  # noqa: F401  (registers the system checks)
        from community.policy import CORE_ACTIONS
        from community.registry import AppContribution, MenuEntry, register
        from community.tenancy.grants import grant_application_role

        # A framework hook, not a domain signal: after every migrate, the app role gets DML on new tables.
        post_migrate.connect(grant_application_role, dispatch_uid="hearth-grant-app-role")
        register(
            AppContribution(
                label="community",
                actions=CORE_ACTIONS,
                menu=(
                    MenuEntry("Overview", "community:manage_home", order=10),
                    MenuEntry("Members", "community:manage_members", "members.view", order=20),
                    MenuEntry("Organizations", "community:manage_organizations", "organizations.view", order=30),
                    MenuEntry("Invitations", "community:manage_invitations", "invitations.manage", order=40),
                    MenuEntry("API keys", "community:manage_api_keys", "api_keys.manage", order=900),
                    MenuEntry("Settings", "community:manage_settings", "community.update", order=910),
                ),
            )
        )
