"""Merging a duplicate idea into another: votes (never twice for one member), followers, evidence and the topic's
posts move to the target; the target's vote count is recounted from its votes, so totals stay exact."""

from django.db import transaction

from community.models import Community
from community.page_cache import public_pages_changed
from community.policy import Actor, can
from discussions.models import Topic
from discussions.services.topics import topic_merge

from ..models import Evidence, Follower, Idea, Vote
from .common import require


def _carry(model, community: Community, source: Idea, target: Idea, key: str) -> None:
    """Move source's rows to target unless target has one for the same `key`; drop the rest (the duplicates)."""
    rows = model.objects.for_community(community)
    taken = rows.filter(idea=target).values(key)
    rows.filter(idea=source).exclude(**{f"{key}__in": taken}).update(idea=target)
    rows.filter(idea=source).delete()


def idea_merge(*, community: Community, actor: Actor, source: Idea, target: Idea) -> Idea:
    require(can(actor, "feedback.manage"), "Only staff may merge ideas.", code="permission_denied")
    require(source.pk != target.pk, "Choose another idea to merge into.", field="target")
    with transaction.atomic():
        # Both rows locked in id order (two merges of the same pair never deadlock); votes take the same locks.
        locked = {
            i.pk: i
            for i in Idea.objects.for_community(community)
            .filter(pk__in=[source.pk, target.pk])
            .order_by("pk")
            .select_for_update()
        }
        require(len(locked) == 2, "No such idea.", code="not_found", field="target")
        source, target = locked[source.pk], locked[target.pk]
        require(source.merged_into_id is None, "This idea was merged already.", code="conflict")
        require(target.merged_into_id is None, "The target was merged into another idea: choose that one.",
                code="conflict", field="target")  # fmt: skip
        _carry(Vote, community, source, target, "member_id")
        _carry(Follower, community, source, target, "member_id")
        _carry(Evidence, community, source, target, "activity_id")
        # Whoever asked first keeps hearing of it.
        source_topic = Topic.objects.for_community(community).get(pk=source.topic_id)
        target_topic = Topic.objects.for_community(community).get(pk=target.topic_id)
        if source_topic.author_id:
            Follower.objects.bulk_create(
                [Follower(community=community, idea=target, member_id=source_topic.author_id)], ignore_conflicts=True
            )
        # The forum's own merge: the source's first post and replies (with reactions) move to the target topic.
        topic_merge(community=community, actor=actor, source=source_topic, target=target_topic)
        votes = Vote.objects.for_community(community).filter(idea=target).count()
        Idea.objects.for_community(community).filter(pk=target.pk).update(vote_count=votes)
        Idea.objects.for_community(community).filter(pk=source.pk).update(vote_count=0, merged_into=target)
        public_pages_changed(community.pk)
    target.refresh_from_db()
    return target
