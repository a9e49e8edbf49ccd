"""Topics: a titled first post of a kind (discussion, question, announcement, poll, article) in a space."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from community.tenancy.models import CommunityOwned

from .space import Space

SEARCH_CONFIG = "english"


class TopicKind(models.TextChoices):
    DISCUSSION = "discussion", "Discussion"
    QUESTION = "question", "Question"
    ANNOUNCEMENT = "announcement", "Announcement"
    POLL = "poll", "Poll"
    ARTICLE = "article", "Article"


class TopicStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    SCHEDULED = "scheduled", "Scheduled"


class Pin(models.TextChoices):
    NONE = "", "Not pinned"
    SPACE = "space", "Pinned in its space"
    GLOBAL = "global", "Pinned everywhere"


class Topic(CommunityOwned):
    space = models.ForeignKey(Space, on_delete=models.PROTECT, related_name="topics")
    author = models.ForeignKey("community.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=14, choices=TopicKind.choices, default=TopicKind.DISCUSSION)
    title = models.CharField(max_length=200)
    body = models.TextField()
    body_html = models.TextField()
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    status = models.CharField(max_length=10, choices=TopicStatus.choices, default=TopicStatus.PUBLISHED)
    publish_at = models.DateTimeField(null=True, blank=True)
    pin = models.CharField(max_length=8, choices=Pin.choices, default=Pin.NONE, blank=True)
    locked = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    accepted_reply = models.ForeignKey(
        "discussions.Reply", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_posted_at = models.DateTimeField(db_index=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Pinned-first orders as plain columns, so the list pages walk an index instead of sorting every topic.
    pinned_everywhere = models.GeneratedField(
        expression=models.Q(pin=Pin.GLOBAL), output_field=models.BooleanField(), db_persist=True
    )
    pinned_in_space = models.GeneratedField(
        expression=models.Q(pin__in=[Pin.GLOBAL, Pin.SPACE]), output_field=models.BooleanField(), db_persist=True
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("body", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            models.Index(fields=["community", "status", "-last_posted_at"], name="topic_latest"),
            models.Index(fields=["community", "space", "status", "-last_posted_at"], name="topic_space_latest"),
            models.Index(
                fields=["community", "status", "-pinned_everywhere", "-last_posted_at", "-id"],
                name="topic_latest_pinned",
            ),
            models.Index(
                fields=["community", "space", "status", "-pinned_in_space", "-last_posted_at", "-id"],
                name="topic_space_pinned",
            ),
            models.Index(fields=["community", "author", "-created_at"], name="topic_author"),
            # Live topics per space: the space list counts them with an index-only scan.
            models.Index(
                fields=["community", "space"],
                name="topic_live_per_space",
                condition=models.Q(status="published", deleted_at__isnull=True, merged_into__isnull=True),
            ),
            models.Index(fields=["community", "status", "publish_at"], name="topic_scheduled"),
            GinIndex(fields=["search_vector"], name="topic_search"),
            GinIndex(fields=["tags"], name="topic_tags"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.accepted_reply_id is not None

    @property
    def is_visible(self) -> bool:
        return self.status == TopicStatus.PUBLISHED and self.deleted_at is None and self.merged_into_id is None

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse(
            "community:discussions:topic", kwargs={"community_slug": self.community.slug, "topic_id": self.pk}
        )
