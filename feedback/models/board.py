"""Boards: a community's places for ideas ("Feature requests", "Bugs"), each backed by one ideas space of the forum."""

from django.db import models

from community.tenancy.models import CommunityOwned


class BoardVisibility(models.TextChoices):
    PUBLIC = "public", "Public: everyone who can read the community"
    MEMBERS = "members", "Members only"
    STAFF = "staff", "Staff only"


class Board(CommunityOwned):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    # Who reads the board is who reads its space: the forum's own rule guards the ideas' topics, replies, search
    # and notifications, so a staff board cannot leak through the forum (service keeps the two in step).
    visibility = models.CharField(max_length=10, choices=BoardVisibility.choices, default=BoardVisibility.PUBLIC)
    space = models.OneToOneField("discussions.Space", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "slug"], name="board_unique_slug")]
        indexes = [models.Index(fields=["community", "position"], name="board_position")]
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
