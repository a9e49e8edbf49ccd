"""App config for community: wires the post-migrate grants for the application role."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommunityConfig(AppConfig):
    name = "community"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.tenancy.grants import grant_application_role

        # A framework hook, not a domain signal: after every migrate, the app role gets DML on new tables.
        post_migrate.connect(grant_application_role, dispatch_uid="hearth-grant-app-role")
