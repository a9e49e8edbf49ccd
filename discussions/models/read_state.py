"""Per-member, per-topic read tracking: how many replies the member has seen."""

from django.db import models

from community.tenancy.models import CommunityOwned

from .topic import Topic


class TopicReadState(CommunityOwned):
    member = models.ForeignKey("community.Member", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    seen_position = models.PositiveIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "member", "topic"], name="readstate_unique")]
