"""Custom member fields defined per community; values live in `Member.custom_fields` keyed by `key`."""

from django.contrib.postgres.fields import ArrayField
from django.db import models

from community.tenancy.models import CommunityOwned


class CustomFieldKind(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"


class CustomField(CommunityOwned):
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=CustomFieldKind.choices, default=CustomFieldKind.TEXT)
    choices = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "key"], name="customfield_unique_key")]
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label
