"""App config of the discussions forum."""

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    label = "discussions"
    default_auto_field = "django.db.models.BigAutoField"
