"""A community's watched words as matching rules: one query on a miss, then a cache hit per post until they change."""

from django.core.cache import cache
from django.db import transaction

from ..models import WatchedWord
from .words import Rule

TTL = 6 * 3600


def _key(community_id: int) -> str:
    return f"moderation:watched-words:{community_id}"


def rules_for(community) -> list[Rule]:
    """The rules of a community, from the cache (the compiled patterns are memoised per process in words.compiled)."""
    stored = cache.get(_key(community.pk))
    if stored is None:
        stored = list(
            WatchedWord.objects.for_community(community)
            .order_by("pk")
            .values_list("pk", "pattern", "kind", "action", "message")
        )
        cache.set(_key(community.pk), stored, TTL)
    return [Rule(*row) for row in stored]


def rules_changed(community_id: int) -> None:
    """Forget the cached list once the change commits (before it, another request could cache the old list)."""
    transaction.on_commit(lambda: cache.delete(_key(community_id)))
    cache.delete(_key(community_id))
