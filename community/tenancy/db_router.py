"""Schema changes go through the owner connection when one is configured; the app role only does DML."""

from django.conf import settings


class OwnerMigratesRouter:
    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if "owner" in settings.DATABASES:
            return db == "owner"
        return None
