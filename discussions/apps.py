"""App config of the discussions forum: registers its pages, API, menu entry, scopes, actions and demo seed."""

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "discussions"
    label = "discussions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from community.models import Role
        from community.policy import RANK, VISITOR
        from community.registry import AppContribution, MenuEntry, register

        register(
            AppContribution(
                label="discussions",
                community_urls=(("", "discussions.urls"),),
                # Uploaded images, at the /media/ URLs their storage names (the tenant is the path's id).
                root_urls=((settings.MEDIA_URL.lstrip("/") + "discussions/", "discussions.media_urls"),),
                api_urls=("discussions.api.urls",),
                menu=(MenuEntry("Discussions", "community:discussions:latest", order=50),),
                scope_areas=("discussions",),
                actions={
                    "discussions.read": (VISITOR, "discussions:read"),
                    "discussions.post": (RANK[Role.MEMBER], "discussions:write"),
                    "discussions.moderate": (RANK[Role.MODERATOR], "discussions:write"),
                    "discussions.manage": (RANK[Role.MANAGER], "discussions:write"),
                },
                demo_seed="discussions.demo.seed_forum",
            )
        )
