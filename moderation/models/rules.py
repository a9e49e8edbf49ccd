"""Rules applied before a post is stored: a community's watched words, and each member's trust level."""

from django.db import models

from community.tenancy.models import CommunityOwned


class WordKind(models.TextChoices):
    WORD = "word", "Word (a * at the end matches any ending)"
    PHRASE = "phrase", "Phrase"
    REGEX = "regex", "Regular expression"


class WordAction(models.TextChoices):
    BLOCK = "block", "Block the post, with a message"
    HOLD = "hold", "Hold the post for review"
    FLAG = "flag", "Publish and flag for review"
    CENSOR = "censor", "Publish with the words replaced by asterisks"


class WatchedWord(CommunityOwned):
    pattern = models.CharField(max_length=200)
    kind = models.CharField(max_length=6, choices=WordKind.choices, default=WordKind.WORD)
    action = models.CharField(max_length=6, choices=WordAction.choices)
    message = models.CharField(max_length=300, blank=True)  # shown to the poster when the action is block
    created_by = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "kind", "pattern"], name="watchedword_unique"),
        ]
        indexes = [models.Index(fields=["community", "action"], name="watchedword_action")]

    def __str__(self) -> str:
        return f"{self.pattern} ({self.action})"


class MemberTrust(CommunityOwned):
    """A member's trust level 0 to 4, recomputed by beat from activity on every channel unless staff locked it.

    No row yet: computed for the one member when they first post (services.trust.trust_level_of)."""

    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(default=0)
    locked = models.BooleanField(default=False)
    locked_by_label = models.CharField(max_length=150, blank=True)
    # What the last computation saw (shown beside the level): days active, replies, reactions, answers, upheld flags.
    stats = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "member"], name="membertrust_one_per_member"),
            models.CheckConstraint(condition=models.Q(level__lte=4), name="membertrust_level_0_4"),
        ]
