"""After migrations (run as the owner role), give the application role DML on every table, nothing more."""

from django.conf import settings
from django.db import connections


def application_role() -> str:
    return settings.DATABASES["default"]["USER"]


def grant_application_role(sender, using: str = "default", **kwargs) -> None:
    owner = settings.DATABASES.get("owner", {}).get("USER")
    app_role = application_role()
    # Only the owner may grant; when the app role itself migrates (no owner configured) there is nothing to do.
    if using != "owner" or not owner or not app_role or owner == app_role:
        return
    roles = f'"{app_role}", "{settings.DATABASE_BYPASS_ROLE}"'  # the bypass role acts with the same rights
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {roles};"
            f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {roles};"
        )
