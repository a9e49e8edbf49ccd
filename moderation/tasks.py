"""Moderation tasks: every new activity screened for spam and toxicity seconds after it commits, the beat that lifts
sanctions whose period ended and the hourly beat that recomputes trust levels, each fanned out per community."""

from celery import shared_task
from django.utils import timezone

from community.models import Community
from community.tenancy import scoped_task, unscoped

TASK_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(name="moderation.expire_sanctions", **TASK_OPTIONS)
@scoped_task
def expire_sanctions_task(community_id: int) -> list[int]:
    from .services.sanctions import sanctions_expire

    return sanctions_expire(community=Community.objects.get(pk=community_id))


@shared_task(name="moderation.expire_sanctions_fanout", **TASK_OPTIONS)
def expire_sanctions_fanout_task() -> int:
    """Beat: one expiry task per community with a sanction whose period ended (lifting is idempotent)."""
    from .models import Sanction

    with unscoped("beat fan-out: communities with sanctions due to end"):
        community_ids = list(
            Sanction.objects.filter(lifted_at__isnull=True, ends_at__lte=timezone.now())
            .values_list("community_id", flat=True)
            .distinct()
        )
    for community_id in community_ids:
        expire_sanctions_task.delay(community_id)
    return len(community_ids)


@shared_task(
    name="moderation.screen_activities",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
@scoped_task
def screen_activities_task(community_id: int, activity_ids: list[int]) -> int:
    """Announced by the core after new activities commit (registry.activity_listeners); idempotent on re-delivery."""
    from moderation.services.screening import activities_screen

    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted since: nothing left to do
        return 0
    return activities_screen(community=community, activity_ids=activity_ids)


@shared_task(name="moderation.compute_trust_levels", **TASK_OPTIONS)
@scoped_task
def compute_trust_levels_task(community_id: int) -> int:
    from .services.trust import trust_levels_compute

    community = Community.objects.filter(pk=community_id).first()
    return trust_levels_compute(community=community) if community is not None else 0


@shared_task(name="moderation.compute_trust_levels_fanout", **TASK_OPTIONS)
def compute_trust_levels_fanout_task() -> int:
    """Beat: one set-based recomputation per community (one statement each, whatever its number of members)."""
    with unscoped("beat fan-out: trust levels of every community"):
        community_ids = list(Community.objects.values_list("pk", flat=True))
    for community_id in community_ids:
        compute_trust_levels_task.delay(community_id)
    return len(community_ids)


@shared_task(name="moderation.queue_join_request", **TASK_OPTIONS)
@scoped_task
def queue_join_request_task(community_id: int, member_id: int) -> bool:
    """Announced by the core when someone asks to join a private community (registry.join_request_listeners)."""
    from .services.queue import signup_queue

    community = Community.objects.filter(pk=community_id).first()
    return community is not None and signup_queue(community=community, member_id=member_id) is not None
