"""Creating boards: each gets its own ideas space in the forum, with the matching visibility."""

from django.db import transaction

from community.models import Community
from community.page_cache import public_pages_changed
from community.policy import Actor, can
from discussions.models import SpaceKind, SpaceVisibility
from discussions.services.spaces import space_create

from ..models import Board, BoardVisibility
from .common import require, statuses_ensure

# A staff board's space is a private group nobody joins: the forum then shows its topics to staff only.
SPACE_VISIBILITY = {
    BoardVisibility.PUBLIC: SpaceVisibility.PUBLIC,
    BoardVisibility.MEMBERS: SpaceVisibility.MEMBERS,
    BoardVisibility.STAFF: SpaceVisibility.GROUP,
}


def board_create(
    *,
    community: Community,
    actor: Actor,
    name: str,
    slug: str = "",
    description: str = "",
    visibility: str = BoardVisibility.PUBLIC,
) -> Board:
    require(can(actor, "feedback.manage"), "Only staff may create boards.", code="permission_denied")
    require(visibility in BoardVisibility.values, "Choose public, members or staff.", field="visibility")
    with transaction.atomic():
        statuses_ensure(community=community)
        space = space_create(
            community=community,
            actor=actor,
            name=name,
            slug=f"ideas-{slug or name}",
            description=description,
            visibility=SPACE_VISIBILITY[visibility],
            kind=SpaceKind.IDEAS,
        )
        require(
            not Board.objects.for_community(community).filter(slug=space.slug.removeprefix("ideas-")).exists(),
            "A board at this address exists already.", code="conflict", field="slug",
        )  # fmt: skip
        board = Board.objects.create(
            community=community,
            name=space.name,
            slug=space.slug.removeprefix("ideas-")[:80],
            description=description,
            visibility=visibility,
            space=space,
            position=Board.objects.for_community(community).count(),
        )
        public_pages_changed(community.pk)
    return board
