"""`migrate` that defaults to the owner connection (MIGRATION_DATABASE_URL) when it is configured."""

from django.conf import settings
from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        if options.get("database") in (None, "default") and "owner" in settings.DATABASES:
            options["database"] = "owner"
        return super().handle(*args, **options)
