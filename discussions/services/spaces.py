"""Creating and arranging spaces, and the members of private-group spaces."""

import re

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from community.models import Community, Member
from community.page_cache import public_pages_changed
from community.policy import Actor, can

from ..models import PostPolicy, Space, SpaceGroupMember, SpaceKind, SpaceVisibility
from .common import require

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def space_create(
    *,
    community: Community,
    actor: Actor,
    name: str,
    slug: str = "",
    description: str = "",
    colour: str = "#c2410c",
    icon: str = "",
    position: int | None = None,
    visibility: str = SpaceVisibility.PUBLIC,
    start_policy: str = PostPolicy.MEMBERS,
    reply_policy: str = PostPolicy.MEMBERS,
    kind: str = SpaceKind.FORUM,
) -> Space:
    require(can(actor, "discussions.manage"), "Only managers may create spaces.", code="permission_denied")
    name = (name or "").strip()
    require(bool(name), "Give the space a name.", field="name")
    slug = slugify(slug or name)[:80]
    require(bool(slug), "Give the space an address.", field="slug")
    require(bool(COLOUR_RE.match(colour)), "Colour is a hex value like #c2410c.", field="colour")
    require(visibility in SpaceVisibility.values, "Unknown visibility.", field="visibility")
    require(start_policy in PostPolicy.values and reply_policy in PostPolicy.values, "Unknown posting rule.")
    require(kind in SpaceKind.values, "Unknown space kind.", field="kind")
    if position is None:
        position = Space.objects.for_community(community).count()
    try:
        with transaction.atomic():
            public_pages_changed(community.pk)
            space = Space.objects.create(
                community=community,
                name=name,
                slug=slug,
                description=description,
                colour=colour,
                icon=icon,
                position=position,
                visibility=visibility,
                start_policy=start_policy,
                reply_policy=reply_policy,
                kind=kind,
            )
    except IntegrityError:
        require(False, f"A space at {slug} exists already.", code="conflict", field="slug")
    return space


def space_group_add(*, community: Community, actor: Actor, space: Space, members: list[Member]) -> None:
    require(can(actor, "discussions.manage"), "Only managers may change groups.", code="permission_denied")
    SpaceGroupMember.objects.bulk_create(
        [SpaceGroupMember(community=community, space=space, member=m) for m in members], ignore_conflicts=True
    )
