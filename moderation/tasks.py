"""Celery tasks of moderation: every new activity is screened for spam and toxicity seconds after it commits."""

from celery import shared_task

from community.models import Community
from community.tenancy import scoped_task


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
