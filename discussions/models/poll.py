"""Polls on poll topics: options, single or multiple choice, optional close date, votes one per option."""

from django.db import models
from django.utils import timezone

from community.tenancy.models import CommunityOwned

from .topic import Topic


class ResultsVisibility(models.TextChoices):
    ALWAYS = "always", "Always"
    AFTER_VOTE = "after_vote", "After voting"


class Poll(CommunityOwned):
    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="poll")
    multiple = models.BooleanField(default=False)
    closes_at = models.DateTimeField(null=True, blank=True)
    results_visibility = models.CharField(
        max_length=12, choices=ResultsVisibility.choices, default=ResultsVisibility.ALWAYS
    )

    @property
    def is_closed(self) -> bool:
        return self.closes_at is not None and self.closes_at <= timezone.now()


class PollOption(CommunityOwned):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["community", "poll", "position"], name="polloption_poll")]


class PollVote(CommunityOwned):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "option", "member"], name="pollvote_one_per_option"),
        ]
        indexes = [models.Index(fields=["community", "poll", "member"], name="pollvote_poll_member")]
