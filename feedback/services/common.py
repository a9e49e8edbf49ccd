"""Shared helpers of the feedback writers: URLs, the activity record of a member's idea or vote, statuses."""

from django.db import transaction
from django.urls import reverse

from community.errors import ServiceError
from community.models import Community, Member
from community.services.activities import activity_record

from ..models import DEFAULT_STATUSES, IdeaStatus

SOURCE = "feedback"


def require(condition: bool, message: str, *, code: str = "invalid", field: str | None = None) -> None:
    if not condition:
        raise ServiceError(message, code=code, field=field)


def idea_url(community: Community, idea_id: int) -> str:
    return reverse("community:feedback:idea", kwargs={"community_slug": community.slug, "idea_id": idea_id})


def statuses_ensure(*, community: Community) -> list[IdeaStatus]:
    """The community's workflow, creating the default one the first time (idempotent under concurrency)."""
    statuses = list(IdeaStatus.objects.for_community(community).order_by("position", "id"))
    if statuses:
        return statuses
    with transaction.atomic():
        IdeaStatus.objects.bulk_create(
            [
                IdeaStatus(
                    community=community,
                    key=key,
                    name=name,
                    colour=colour,
                    position=i,
                    on_roadmap=roadmap,
                    is_closed=closed,
                )
                for i, (key, name, colour, roadmap, closed) in enumerate(DEFAULT_STATUSES)
            ],
            ignore_conflicts=True,
        )
    return list(IdeaStatus.objects.for_community(community).order_by("position", "id"))


def record_activity(*, community: Community, member: Member | None, kind: str, external_id: str, **fields):
    """A member's idea or vote is their activity (metrics, advocacy); idempotent on the external id."""
    if member is None:
        return None
    return activity_record(
        community=community, member=member, kind=kind, source=SOURCE, external_id=external_id, channel="forum",
        **fields,
    )  # fmt: skip
