"""The content check moderation registers for every forum post (community/content_checks.py): watched words (block,
hold, flag, censor), the trust level's limits (level 0: no links or images, first posts held) and rate limits per
level (topics and replies per minute and per day). Staff are held to the watched words only.

Cost per post: a cache hit for the watched words, and for a member below staff one query for the level and one
count of their recent posts of the kind (two at level 0, for the first-posts rule).
"""

import re
from datetime import timedelta
from functools import partial

from django.db.models import Count, Q
from django.utils import timezone

from community.content_checks import ContentVerdict
from community.errors import ServiceError
from community.models import Community
from community.policy import Actor, can
from community.services.communities import community_update
from discussions.models import Reply, Topic
from moderation.scoring.text import URL

from ..models import WordAction
from ..rules import words
from ..rules.cache import rules_for
from . import queue, trust
from .watched_words import block_message, strongest

SETTINGS_KEY = "moderation_limits"
KINDS = ("topic", "reply")
# Per trust level: (topics a minute, topics a day, replies a minute, replies a day). Discourse-like: new members slow.
DEFAULT_RATE_LIMITS = {
    0: (1, 3, 3, 20),
    1: (2, 10, 5, 60),
    2: (3, 20, 10, 200),
    3: (5, 50, 20, 500),
    4: (10, 100, 30, 1000),
}
LIMIT_NAMES = ("topics_per_minute", "topics_per_day", "replies_per_minute", "replies_per_day")
DEFAULT_HOLD_FIRST_POSTS = 2  # a level-0 member's first posts (topics and replies) wait for review
LINK_OR_IMAGE = re.compile(r"!\[|\]\(|<\s*(?:img|a)\b|\b(?:https?|ftp)://", re.IGNORECASE)


def posting_limits(community: Community) -> dict:
    """{"hold_first_posts": n, "rate_limits": {level: {name: n}}} from Community.settings over the defaults."""
    stored = (community.settings or {}).get(SETTINGS_KEY) or {}
    levels = stored.get("rate_limits") or {}
    return {
        "hold_first_posts": int(stored.get("hold_first_posts", DEFAULT_HOLD_FIRST_POSTS)),
        "rate_limits": {
            level: {name: int((levels.get(str(level)) or {}).get(name, default))
                    for name, default in zip(LIMIT_NAMES, defaults, strict=True)}
            for level, defaults in DEFAULT_RATE_LIMITS.items()
        },
    }  # fmt: skip


def posting_limits_set(*, community: Community, actor: Actor, hold_first_posts=None, rate_limits=None) -> Community:
    """Change the first-posts rule and some rate limits ({level: {name: n}}); whole numbers, 0 … 10,000."""
    if not can(actor, "moderation.rules"):
        raise ServiceError(
            "Your role or key scopes do not allow changing the posting limits.", code="permission_denied"
        )
    merged = posting_limits(community)
    if hold_first_posts is not None:
        merged["hold_first_posts"] = _count("hold_first_posts", hold_first_posts)
    for level, values in (rate_limits or {}).items():
        if str(level) not in {str(lvl) for lvl in DEFAULT_RATE_LIMITS}:
            raise ServiceError(f"Unknown trust level {level!r}: 0 to 4.", field="rate_limits")
        for name, value in (values or {}).items():
            if name not in LIMIT_NAMES:
                raise ServiceError(f"Unknown limit {name!r}: one of {', '.join(LIMIT_NAMES)}.", field="rate_limits")
            merged["rate_limits"][int(level)][name] = _count(name, value)
    stored = {"hold_first_posts": merged["hold_first_posts"],
              "rate_limits": {str(level): values for level, values in merged["rate_limits"].items()}}  # fmt: skip
    return community_update(
        community=community, actor=actor, settings={**(community.settings or {}), SETTINGS_KEY: stored}
    )


def _count(name: str, value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ServiceError(f"{name}: a whole number from 0 to 10,000.", field=name) from None
    if not 0 <= value <= 10_000:
        raise ServiceError(f"{name}: a whole number from 0 to 10,000.", field=name)
    return value


def _open_item(community: Community, reasons: list[str], hidden: bool, source: str, kind: str, object_id: int) -> None:
    queue.queue_item_open(
        community=community, subject_kind=kind, subject_id=object_id, reasons=reasons, source=source,
        hidden=hidden, label=source.replace("_", " "),
    )  # fmt: skip


def _watched(community: Community, kind: str, title: str, body: str, verdict: ContentVerdict) -> None:
    matches = words.find(rules_for(community), {"title": title, "body": body})
    action = strongest(matches)
    if action is None:
        return
    if action == WordAction.BLOCK:
        verdict.block = block_message(matches)
        return
    censored = [m for m in matches if m.rule.action == WordAction.CENSOR]
    if censored:
        verdict.title = words.censor(title, [m for m in censored if m.field == "title"], markdown=False)
        verdict.body = words.censor(body, [m for m in censored if m.field == "body"], markdown=True)
    review = [m for m in matches if m.rule.action in (WordAction.HOLD, WordAction.FLAG)]
    if review:
        held = action == WordAction.HOLD
        reasons = list(dict.fromkeys(f"watched word: {m.rule.pattern}"[:80] for m in review))
        verdict.hold = verdict.hold or held
        verdict.reasons += reasons
        verdict.follow_ups.append(partial(_open_item, community, reasons, held, "watched_word"))


def _recent(community: Community, model, member) -> dict:
    now = timezone.now()
    return (
        model.objects.for_community(community)
        .filter(author=member)
        .aggregate(
            minute=Count("pk", filter=Q(created_at__gte=now - timedelta(minutes=1))),
            day=Count("pk", filter=Q(created_at__gte=now - timedelta(days=1))),
            total=Count("pk"),
        )
    )


def _trust(community: Community, member, kind: str, body: str, editing: bool, verdict: ContentVerdict) -> None:
    level = trust.trust_level_of(community=community, member=member)
    if level == 0 and (LINK_OR_IMAGE.search(body) or URL.search(body)):
        verdict.block = ("New members cannot post links or images yet: take part for a few days (trust level 1) "
                         "or remove the link.")  # fmt: skip
        return
    if editing:
        return
    limits = posting_limits(community)
    recent = _recent(community, Topic if kind == "topic" else Reply, member)
    plural = "topics" if kind == "topic" else "replies"
    per_minute, per_day = (limits["rate_limits"][level][f"{plural}_per_{span}"] for span in ("minute", "day"))
    if recent["minute"] >= per_minute or recent["day"] >= per_day:
        span, limit = ("minute", per_minute) if recent["minute"] >= per_minute else ("day", per_day)
        wait = "in a minute" if span == "minute" else "later: the day's limit counts the last 24 hours"
        verdict.block = (f"You have reached the limit of {limit} {plural} a {span} for members at trust level "
                         f"{level}. Please try again {wait}.")  # fmt: skip
        verdict.block_code = "rate_limited"
        return
    if level == 0 and limits["hold_first_posts"]:
        other = _recent(community, Reply if kind == "topic" else Topic, member)
        if recent["total"] + other["total"] < limits["hold_first_posts"]:
            reasons = ["first posts of a new member (trust level 0)"]
            verdict.hold = True
            verdict.reasons += reasons
            verdict.follow_ups.append(partial(_open_item, community, reasons, True, "trust"))


def content_check(
    *, community: Community, actor: Actor, kind: str, title: str, body: str, editing: bool
) -> ContentVerdict | None:
    """Registered in moderation/apps.py as the forum's content check."""
    if kind not in KINDS:
        return None
    verdict = ContentVerdict()
    _watched(community, kind, title, body, verdict)
    if not verdict.block and actor.is_member and actor.api_key is None and not actor.is_staff:
        _trust(community, actor.member, kind, body, editing, verdict)
    return verdict
