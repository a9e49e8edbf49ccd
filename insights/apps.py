"""App config of insights: the activity listener (sentiment, rollups), its dashboard and crisis watch, API, scope
area and actions."""

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.models import Role
        from community.policy import RANK
        from community.registry import AppContribution, MenuEntry, register

        register(
            AppContribution(
                label="insights",
                community_urls=(("manage/insights/", "insights.urls"), ("insights/shared/", "insights.share_urls")),
                menu=(
                    MenuEntry("Insights", "community:insights:dashboard", "insights.view", order=45),
                    MenuEntry("Crisis watch", "community:insights:crisis", "insights.view", order=46),
                ),
                # The time zone (what a "day" is for every metric) sits on the community settings page.
                settings_panels=("insights.views.dashboard.timezone_panel",),
                api_urls=("insights.api.urls",),
                scope_areas=("insights",),
                # The dashboard's rule: moderators and up; keys need insights:read.
                actions={
                    "insights.view": (RANK[Role.MODERATOR], "insights:read"),
                    # A public link shows the community's figures to anyone holding it: managers decide.
                    "insights.share": (RANK[Role.MANAGER], "insights:write"),
                    # The crisis watch: staff who read the insights work the alerts; managers set the rules and
                    # where alerts are posted.
                    "insights.alerts": (RANK[Role.MODERATOR], "insights:write"),
                    "insights.alert_rules": (RANK[Role.MANAGER], "insights:write"),
                },
                # Scoring and rollups run after the activities commit, in the worker, never in the request.
                activity_listeners=("insights.process_activities",),
            )
        )
