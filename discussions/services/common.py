"""Shared checks and helpers of the forum writers: input limits, mentions, URLs."""

import difflib
import re

from django.db.models.functions import Lower
from django.urls import reverse

from community.content_checks import ContentVerdict, content_verdict
from community.errors import ServiceError
from community.models import Community, Member, MemberStatus
from community.policy import Actor

from .. import markdown

MAX_TITLE = 200
MAX_BODY = 20_000
MAX_TAGS = 5
TAG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def require(condition: bool, message: str, *, code: str = "invalid", field: str | None = None) -> None:
    if not condition:
        raise ServiceError(message, code=code, field=field)


def clean_title(title: str) -> str:
    # A title is one line: newlines (which once dropped the topic's notification emails, as a mail header
    # cannot hold one), tabs and runs of spaces become single spaces.
    title = " ".join((title or "").split())
    require(bool(title), "Give the topic a title.", field="title")
    require(len(title) <= MAX_TITLE, f"Keep the title under {MAX_TITLE} characters.", field="title")
    return title


def clean_body(body: str) -> str:
    body = (body or "").strip()
    require(bool(body), "Write something first: the post is empty.", field="body")
    require(len(body) <= MAX_BODY, f"The post is too long: at most {MAX_BODY} characters.", field="body")
    return body


def clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.replace(",", " ").split()
    cleaned = []
    for tag in tags or []:
        tag = str(tag).strip().lower().lstrip("#")
        if tag and tag not in cleaned:
            require(bool(TAG_RE.match(tag)), f"Tag {tag!r}: use lowercase letters, digits and hyphens.", field="tags")
            cleaned.append(tag)
    require(len(cleaned) <= MAX_TAGS, f"Use at most {MAX_TAGS} tags.", field="tags")
    return cleaned


def actor_member(actor: Actor) -> Member | None:
    return actor.member if actor.is_member else None


def member_url(community: Community, member_id: int) -> str:
    return reverse("community:discussions:member", kwargs={"community_slug": community.slug, "member_id": member_id})


def topic_url(community: Community, topic_id: int) -> str:
    return reverse("community:discussions:topic", kwargs={"community_slug": community.slug, "topic_id": topic_id})


def resolve_mentions(community: Community, body: str) -> dict[str, Member]:
    """@name -> active member, matching the handle or the display name, case-insensitively (one query)."""
    names = markdown.mention_names(body)
    if not names:
        return {}
    members = (
        Member.objects.for_community(community)
        .filter(status=MemberStatus.ACTIVE)
        .annotate(h=Lower("handle"), d=Lower("display_name"))
        .filter(models_q_any(names))
    )
    found: dict[str, Member] = {}
    for member in members:
        for name in (member.h, member.d):
            if name in names:
                found.setdefault(name, member)
    return found


def models_q_any(names):
    from django.db.models import Q

    return Q(h__in=names) | Q(d__in=names)


def render_body(community: Community, body: str) -> tuple[str, dict[str, Member]]:
    mentioned = resolve_mentions(community, body)
    urls = {name: member_url(community, m.pk) for name, m in mentioned.items()}
    return markdown.render(body, urls), mentioned


def diff_text(before: str, after: str) -> str:
    return "\n".join(difflib.unified_diff(before.splitlines(), after.splitlines(), "before", "after", lineterm=""))


def checked(
    community: Community, actor: Actor, kind: str, title: str, body: str, *, editing: bool = False
) -> tuple[str, str, ContentVerdict]:
    """The registered content checks on a post about to be stored (raises when one blocks it); the title and body
    to store (censored where a check censors) and the verdict (hold, follow-ups to call once stored)."""
    verdict = content_verdict(community=community, actor=actor, kind=kind, title=title, body=body, editing=editing)
    return (
        verdict.title if verdict.title is not None else title,
        verdict.body if verdict.body is not None else body,
        verdict,
    )
