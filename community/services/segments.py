"""Saved segments: named sets of directory filters."""

from django.db import IntegrityError, transaction

from community.errors import ServiceError
from community.models import Community, Segment
from community.policy import Actor, can
from community.selectors.members import clean_filters


def segment_create(*, community: Community, actor: Actor, name: str, filters: dict) -> Segment:
    if not can(actor, "segments.manage"):
        raise ServiceError("You may not manage segments.", code="permission_denied")
    if not name.strip():
        raise ServiceError("Give the segment a name.", field="name")
    filters = clean_filters(filters)
    if not filters:
        raise ServiceError("Choose at least one filter to save.", field="filters")
    try:
        with transaction.atomic():
            return Segment.objects.create(
                community=community, name=name.strip()[:120], filters=filters, created_by_id=actor.user_id
            )
    except IntegrityError:
        raise ServiceError(f"A segment named {name!r} exists.", code="conflict", field="name") from None


def segment_delete(*, community: Community, actor: Actor, segment: Segment) -> None:
    if not can(actor, "segments.manage"):
        raise ServiceError("You may not manage segments.", code="permission_denied")
    segment.delete()
