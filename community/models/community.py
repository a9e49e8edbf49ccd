"""The tenant: one community, reached at /c/<slug>/ and optionally on its own domain."""

from django.core.validators import RegexValidator
from django.db import models


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public: anyone can read and join"
    PRIVATE = "private", "Private: members only, joining needs approval"


class Community(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$", "Use lowercase letters, digits and hyphens.")],
    )
    # A requested custom domain; served only once verified (community/services/domains.py).
    domain = models.CharField(max_length=253, null=True, blank=True, unique=True)
    domain_token = models.CharField(max_length=64, blank=True, default="")
    domain_verified_at = models.DateTimeField(null=True, blank=True)
    description = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "communities"
        constraints = [models.CheckConstraint(condition=~models.Q(slug=""), name="community_slug_not_empty")]

    def __str__(self) -> str:
        return self.name

    @property
    def domain_active(self) -> bool:
        return bool(self.domain and self.domain_verified_at)

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC
