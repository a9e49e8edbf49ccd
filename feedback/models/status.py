"""The per-community workflow of idea statuses (open → under review → planned → in progress → shipped / declined)."""

from django.db import models

from community.tenancy.models import CommunityOwned


class IdeaStatus(CommunityOwned):
    key = models.SlugField(max_length=40)
    name = models.CharField(max_length=60)
    colour = models.CharField(max_length=7, default="#64748b")
    position = models.PositiveIntegerField(default=0)
    # Shown as a column of the public roadmap.
    on_roadmap = models.BooleanField(default=False)
    # A closed status (shipped, declined) ends voting's point: the idea leaves the board's open list.
    is_closed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "key"], name="ideastatus_unique_key")]
        indexes = [models.Index(fields=["community", "position"], name="ideastatus_position")]
        ordering = ["position", "id"]
        verbose_name_plural = "idea statuses"

    def __str__(self) -> str:
        return self.name


# key, name, colour, on the roadmap, closed: created for each community the first time it opens a board.
DEFAULT_STATUSES = (
    ("open", "Open", "#64748b", False, False),
    ("under-review", "Under review", "#a16207", True, False),
    ("planned", "Planned", "#2563eb", True, False),
    ("in-progress", "In progress", "#7c3aed", True, False),
    ("shipped", "Shipped", "#15803d", True, True),
    ("declined", "Declined", "#b91c1c", False, True),
)
