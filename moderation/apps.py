"""Moderation: guidelines, flags, automatic scoring, the review queue, sanctions and the audit log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.registry import AppContribution, register

        register(
            AppContribution(
                label="moderation",
                # Screening runs after the activities commit, in the worker, never in the request.
                activity_listeners=("moderation.screen_activities",),
            )
        )
