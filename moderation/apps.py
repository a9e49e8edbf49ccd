"""Moderation: guidelines, flags, automatic scoring, the review queue, sanctions and the audit log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.models import Role
        from community.policy import RANK, VISITOR
        from community.registry import AppContribution, MenuEntry, register

        moderator, manager = RANK[Role.MODERATOR], RANK[Role.MANAGER]
        register(
            AppContribution(
                label="moderation",
                # Screening runs after the activities commit, in the worker, never in the request.
                activity_listeners=("moderation.screen_activities",),
                # Requests to join a private community wait in the queue beside held posts.
                join_request_listeners=("moderation.queue_join_request",),
                community_urls=(("", "moderation.urls"),),
                api_urls=("moderation.api.urls",),
                menu=(
                    MenuEntry("Moderation", "community:moderation:queue", "moderation.view", order=60),
                    MenuEntry("Moderation log", "community:moderation:log", "moderation.log", order=61),
                    MenuEntry("Moderation rules", "community:moderation:rules", "moderation.view", order=63),
                    MenuEntry("Guidelines", "community:moderation:guidelines_edit", "moderation.guidelines", order=62),
                ),
                scope_areas=("moderation",),
                actions={
                    "moderation.view": (moderator, "moderation:read"),
                    "moderation.act": (moderator, "moderation:write"),
                    "moderation.sanction": (moderator, "moderation:write"),
                    # Bans are final until lifted by hand: managers and up.
                    "moderation.ban": (manager, "moderation:write"),
                    "moderation.log": (moderator, "moderation:read"),
                    "moderation.guidelines": (manager, "moderation:write"),
                    # Watched words and posting limits shape what everyone may post: managers and up.
                    "moderation.rules": (manager, "moderation:write"),
                    # Flags come from people: a key has no member to report as, so no scope grants it.
                    "moderation.flag": (RANK[Role.MEMBER], None),
                    "moderation.read_guidelines": (VISITOR, "moderation:read"),
                },
                settings_panels=("moderation.views.settings.thresholds_panel",),
                demo_seed="moderation.demo.establish_members",
                demo_seed_order=10,  # before the forum's: its demo posts come from established members
                # A silenced member reads but does not post (community/policy.py SILENCED_TAG).
                silenced_actions=("discussions.post",),
                # Watched words, trust levels and rate limits on every forum post, created or edited.
                content_checks=("moderation.services.posting_rules.content_check",),
            )
        )
