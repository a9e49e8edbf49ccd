from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    default_auto_field = "django.db.models.BigAutoField"
