"""The changelog: staff write what shipped, optionally for an idea."""

from django.utils import timezone

from community.models import Community
from community.page_cache import public_pages_changed
from community.policy import Actor, can
from discussions import markdown
from discussions.services.common import actor_member, clean_body, clean_title

from ..models import ChangelogEntry, Idea
from .common import require


def changelog_entry_create(
    *, community: Community, actor: Actor, title: str, body: str, idea: Idea | None = None
) -> ChangelogEntry:
    require(can(actor, "feedback.manage"), "Only staff may write the changelog.", code="permission_denied")
    title, body = clean_title(title), clean_body(body)
    require(idea is None or idea.community_id == community.pk, "No such idea.", code="not_found", field="idea")
    public_pages_changed(community.pk)
    return ChangelogEntry.objects.create(
        community=community, title=title, body=body, body_html=markdown.render(body), idea=idea,
        author=actor_member(actor), published_at=timezone.now(),
    )  # fmt: skip
