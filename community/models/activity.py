"""The activity stream: everything a member did on any channel, one row each, idempotent per source."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from community.tenancy.models import CommunityOwned


class ActivityKind(models.TextChoices):
    POST = "post", "Post"
    REPLY = "reply", "Reply"
    REACTION = "reaction", "Reaction"
    MESSAGE = "message", "Message"
    COMMENT = "comment", "Comment"
    STAR = "star", "Star"
    FORK = "fork", "Fork"
    ISSUE = "issue", "Issue"
    PULL_REQUEST = "pull_request", "Pull request"
    REVIEW = "review", "Review"
    EVENT_RSVP = "event_rsvp", "Event RSVP"
    EVENT_ATTENDANCE = "event_attendance", "Event attendance"
    REFERRAL = "referral", "Referral"
    IDEA = "idea", "Idea"
    VOTE = "vote", "Vote"
    ACCEPTED_ANSWER = "accepted_answer", "Accepted answer"
    JOIN = "join", "Joined"


# The full-text document is a stored generated column: under row-level security Postgres may use an index
# for a condition only if every function on a column in it is LEAKPROOF, which `to_tsvector` is not, while
# `search_vector @@ query` is (hearth/sql/leakproof_operators.sql marks `@@`). An expression index would
# never be used for the app role.
SEARCH_CONFIG = "english"


def activity_search_vector() -> SearchVector:
    return SearchVector("title", "body", config=SEARCH_CONFIG)


class Activity(CommunityOwned):
    # Null once the member was erased: the activity stays, anonymous, for aggregate metrics.
    member = models.ForeignKey(
        "community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities"
    )
    kind = models.CharField(max_length=24, choices=ActivityKind.choices)
    channel = models.CharField(max_length=40, default="forum")
    source = models.CharField(max_length=80)
    # The integrations app owns connections; no FK so `community` never imports it.
    connection_id = models.BigIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=255)
    occurred_at = models.DateTimeField()
    title = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)
    parent_external_id = models.CharField(max_length=255, blank=True)
    # The sentiment object of the API: score (-1 … 1), label, and who gave it ("<name>@<version>" of the analyser,
    # or "source@1" when the activity's source sent its own). Null score until scored, and for text nobody read.
    # Scoring happens after the activity is stored, by the app listening for new activities (insights/).
    sentiment = models.FloatField(null=True, blank=True)
    sentiment_label = models.CharField(max_length=16, blank=True)
    sentiment_analyser = models.CharField(max_length=64, blank=True, default="", db_default="")
    # Detected language of the text (ISO 639-1, "und" undetermined), set by the same analyser; "" until analysed.
    language = models.CharField(max_length=8, blank=True, default="", db_default="")
    # The moderation object of the API, written by the app screening new activities (moderation/): spam and
    # toxicity (0 … 1), the status they decided (published, flagged, held; "removed" by a person), the reasons,
    # and which scorers ("<name>@<version>", "+"-joined). Empty scorer: not screened yet (the API shows null).
    moderation_spam = models.FloatField(null=True, blank=True)
    moderation_toxicity = models.FloatField(null=True, blank=True)
    moderation_status = models.CharField(max_length=16, blank=True, default="", db_default="")
    moderation_reasons = ArrayField(models.CharField(max_length=80), default=list, blank=True, db_default=[])
    moderation_scorer = models.CharField(max_length=80, blank=True, default="", db_default="")
    # 64-bit simhash of the normalised text (signed, as Postgres bigint), so near-duplicates by the same author
    # across topics and channels are found in SQL by Hamming distance; null until screened or without text.
    text_simhash = models.BigIntegerField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    search_vector = models.GeneratedField(
        expression=activity_search_vector(), output_field=SearchVectorField(), db_persist=True
    )

    class Meta:
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["community", "source", "external_id"], name="activity_unique_external"),
        ]
        indexes = [
            models.Index(fields=["community", "occurred_at"], name="activity_occurred"),
            models.Index(fields=["community", "member", "occurred_at"], name="activity_member_occurred"),
            models.Index(fields=["community", "kind", "occurred_at"], name="activity_kind_occurred"),
            models.Index(fields=["community", "sentiment_label", "occurred_at"], name="activity_sentiment_occurred"),
            # Responses to a conversation: the replies whose parent is its starter (insights' response times).
            models.Index(fields=["community", "source", "parent_external_id", "occurred_at"], name="activity_parent"),
            # `?moderation_status=` of the API and the review queue's read of held and flagged activities.
            models.Index(fields=["community", "moderation_status", "occurred_at"], name="activity_moderation"),
            GinIndex(fields=["search_vector"], name="activity_search"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.source}:{self.external_id}"
