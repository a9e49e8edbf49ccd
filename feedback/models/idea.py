"""Ideas (one per topic of an ideas space), their votes, followers and evidence from any channel."""

from django.db import models

from community.tenancy.models import CommunityOwned

from .board import Board
from .status import IdeaStatus


class Idea(CommunityOwned):
    topic = models.OneToOneField("discussions.Topic", on_delete=models.CASCADE, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="ideas")
    status = models.ForeignKey(IdeaStatus, on_delete=models.PROTECT, related_name="+")
    staff_response = models.TextField(blank=True)
    staff_response_html = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    eta = models.DateField(null=True, blank=True)
    tracker_url = models.URLField(max_length=500, blank=True)
    # Kept by the vote services under the idea's row lock; merges recount it from the votes.
    vote_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # The board page: live ideas of a board by votes.
            models.Index(
                fields=["community", "board", "-vote_count", "-id"],
                name="idea_board_votes",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(fields=["community", "status", "-vote_count"], name="idea_status_votes"),
        ]

    def __str__(self) -> str:
        return f"idea {self.pk} (topic {self.topic_id})"


class Importance(models.TextChoices):
    NICE = "nice", "Nice to have"
    IMPORTANT = "important", "Important"
    CRITICAL = "critical", "Critical"


class Vote(CommunityOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    importance = models.CharField(max_length=10, choices=Importance.choices, default=Importance.NICE)
    # A vote staff recorded for the member (a support call, say): who, or an API key (on_behalf without a member).
    on_behalf = models.BooleanField(default=False)
    on_behalf_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # One vote per member per idea: the database decides races (INSERT … ON CONFLICT DO NOTHING).
        constraints = [models.UniqueConstraint(fields=["community", "idea", "member"], name="vote_one_per_member")]
        indexes = [
            models.Index(fields=["community", "member"], name="vote_member"),
            models.Index(fields=["community", "idea", "created_at"], name="vote_idea_created"),
        ]


class Follower(CommunityOwned):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="followers")
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "idea", "member"], name="follower_unique")]
        indexes = [models.Index(fields=["community", "member"], name="follower_member")]


class Evidence(CommunityOwned):
    """An activity of any channel (a forum post, a Slack message, a GitHub issue) that asks for the idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="evidence")
    activity = models.ForeignKey("community.Activity", on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [models.UniqueConstraint(fields=["community", "idea", "activity"], name="evidence_unique")]
        indexes = [models.Index(fields=["community", "activity"], name="evidence_activity")]
