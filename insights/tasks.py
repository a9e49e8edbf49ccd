"""Celery tasks of insights: new activities scored and rolled up, rebuilds, the weekly summary email."""

from celery import shared_task

from community.models import Community
from community.tenancy import scoped_task


@shared_task(
    name="insights.process_activities",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=8,
)
@scoped_task
def process_activities_task(community_id: int, activity_ids: list[int]) -> int:
    """Announced by the core after new activities commit (registry.activity_listeners); one transaction.

    Scoring first, so the rollups of the same run already carry the new scores."""
    from insights.services.conversations import conversations_update
    from insights.services.hourly import hourstats_update
    from insights.services.rollups import rollups_update
    from insights.services.sentiment import activities_score

    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted since: nothing left to do
        return 0
    scored = activities_score(community=community, activity_ids=activity_ids)
    rollups_update(community=community, activity_ids=activity_ids)
    hourstats_update(community=community, activity_ids=activity_ids)  # the crisis watch's baseline
    conversations_update(community=community, activity_ids=activity_ids)
    return scored


@shared_task(name="insights.rebuild_rollups", acks_late=True, reject_on_worker_lost=True)
@scoped_task
def rebuild_rollups_task(community_id: int, start: str, end: str) -> int:
    """Recompute a range of local days (ISO dates), e.g. after the community's time zone changed."""
    from datetime import date

    from insights.services.rollups import rollups_rebuild

    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return 0
    return rollups_rebuild(community=community, start=date.fromisoformat(start), end=date.fromisoformat(end))


@shared_task(name="insights.send_weekly_summary", acks_late=True, reject_on_worker_lost=True)
@scoped_task
def send_weekly_summary_task(community_id: int) -> int:
    from insights.services.reports import weekly_summary_send

    community = Community.objects.filter(pk=community_id).first()
    return weekly_summary_send(community=community) if community else 0


@shared_task(name="insights.weekly_summary_fanout", acks_late=True, reject_on_worker_lost=True)
def weekly_summary_fanout_task() -> int:
    """Beat, Mondays: one send per community that has a subscriber (subscriptions are tenant rows: logged bypass)."""
    from django.db import transaction

    from community.tenancy import unscoped
    from insights.models import WeeklySummarySubscription

    with transaction.atomic(), unscoped("insights weekly summary fan-out"):
        community_ids = sorted(set(WeeklySummarySubscription.objects.values_list("community_id", flat=True)))
    for community_id in community_ids:
        send_weekly_summary_task.delay(community_id)
    return len(community_ids)


@shared_task(name="insights.evaluate_alerts", acks_late=True, reject_on_worker_lost=True, expires=120)
@scoped_task
def evaluate_alerts_task(community_id: int) -> int:
    """The crisis watch of one community (idempotent: a second run in the same minute updates the same alerts)."""
    from insights.services.crisis import alerts_evaluate

    community = Community.objects.filter(pk=community_id).first()
    return len(alerts_evaluate(community=community)) if community else 0


@shared_task(name="insights.evaluate_alerts_fanout", acks_late=True, reject_on_worker_lost=True, expires=60)
def evaluate_alerts_fanout_task() -> int:
    """Beat, every minute: one evaluation per community with activity in the last week (the longest window a rule
    may have): a community without any cannot turn. Hourly rollups are tenant rows: logged bypass."""
    from datetime import timedelta

    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from community.tenancy import unscoped
    from insights.models import HourStat

    since = timezone.now() - timedelta(days=7)
    with transaction.atomic(), unscoped("insights crisis watch fan-out"):
        recent = HourStat.objects.filter(community_id=OuterRef("pk"), hour__gte=since)
        community_ids = list(Community.objects.filter(Exists(recent)).order_by("pk").values_list("pk", flat=True))
    for community_id in community_ids:
        evaluate_alerts_task.delay(community_id)
    return len(community_ids)


@shared_task(
    name="insights.notify_alert", acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,),
    retry_backoff=5, retry_backoff_max=300, max_retries=6,
)  # fmt: skip
@scoped_task
def notify_alert_task(community_id: int, alert_id: int) -> int:
    """A new alert, emailed to the staff who opted in; the webhook post is its own task so each retries alone."""
    from insights.services.alert_notify import alert_email_send

    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return 0
    post_alert_webhook_task.delay(community_id, alert_id)  # first: a failing mail server does not hold it up
    return alert_email_send(community=community, alert_id=alert_id)


@shared_task(
    name="insights.post_alert_webhook", acks_late=True, reject_on_worker_lost=True, autoretry_for=(Exception,),
    retry_backoff=5, retry_backoff_max=300, max_retries=6,
)  # fmt: skip
@scoped_task
def post_alert_webhook_task(community_id: int, alert_id: int) -> bool:
    from insights.services.alert_notify import alert_webhook_post

    community = Community.objects.filter(pk=community_id).first()
    return alert_webhook_post(community=community, alert_id=alert_id) if community else False
