"""Feedback: boards, ideas, votes, evidence, merges, roadmap and changelog, plugged in through the registry."""

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.models import Role
        from community.policy import RANK, VISITOR
        from community.registry import ActivityAction, AppContribution, MenuEntry, register

        moderator, member = RANK[Role.MODERATOR], RANK[Role.MEMBER]
        register(
            AppContribution(
                label="feedback",
                community_urls=(("", "feedback.urls"),),
                api_urls=("feedback.api.urls",),
                menu=(MenuEntry("Feedback", "community:feedback:prioritise", "feedback.manage", order=55),),
                # On every activity of the member timeline and the moderation item: attach it or make it an idea.
                activity_actions=(
                    ActivityAction("Use as feedback", "community:feedback:activity_feedback", "feedback.manage"),
                ),
                scope_areas=("feedback",),
                actions={
                    # Which boards one reads is the board's space rule on top (discussions.permissions).
                    "feedback.read": (VISITOR, "feedback:read"),
                    # Ideas and votes are a person's: a key votes only on behalf of a member (feedback.manage).
                    "feedback.post": (member, None),
                    "feedback.vote": (member, None),
                    # Statuses, responses, merges, evidence, votes on behalf, boards, changelog.
                    "feedback.manage": (moderator, "feedback:write"),
                    "feedback.prioritise": (moderator, "feedback:read"),
                },
                silenced_actions=("feedback.post", "feedback.vote"),
            )
        )
