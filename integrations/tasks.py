"""Celery tasks of connected channels: process the inbox, sync a connection, the beat fan-out of due polls."""

import contextlib
import logging
from datetime import timedelta

import redis
from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from community.models import Community
from community.tenancy import scoped_task, unscoped

logger = logging.getLogger("hearth.integrations")

SYNC_LOCK_SECONDS = 15 * 60
STALE_AFTER = timedelta(minutes=5)  # a received event this old lost its task (worker crash, broker loss)
FAN_OUT_LIMIT = 500
REMOVAL_RETRIES = 10  # a platform down or limiting us for longer than about ten minutes: a person looks


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def sync_lock_key(connection_id: int) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "hearth")
    return f"{prefix}:integrations:sync-lock:{connection_id}"


@shared_task(
    name="integrations.process_inbox",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
@scoped_task
def process_inbox_task(community_id: int, event_ids: list[int]) -> dict:
    from integrations.services.inbox import inbox_process

    community = Community.objects.filter(pk=community_id).first()
    if community is None:  # deleted since: nothing left to do
        return {}
    return inbox_process(community=community, event_ids=event_ids)


@shared_task(name="integrations.sync_connection", bind=True, acks_late=True, reject_on_worker_lost=True)
def sync_connection_task(self, community_id: int, connection_id: int, mode: str = "poll") -> str:
    """Not `scoped_task`: HTTP calls must not hold a transaction, so the service enters the scope per page."""
    from integrations.services.sync import connection_sync

    lock = _redis().lock(sync_lock_key(connection_id), timeout=SYNC_LOCK_SECONDS, blocking=False)
    if not lock.acquire(blocking=False):
        logger.info("sync already running: connection=%s", connection_id)
        return "locked"
    try:
        community = Community.objects.filter(pk=community_id).first()
        if community is None:
            return "skipped"
        outcome = connection_sync(community=community, connection_id=connection_id, mode=mode)
    finally:
        # The lock may have expired while we worked; the next holder's lock is not ours to release.
        with contextlib.suppress(redis.exceptions.LockError):
            lock.release()
    if outcome.retry_in:
        # A rate-limited connection waits (no failure); a transient outage retries with the same countdown.
        raise self.retry(countdown=outcome.retry_in, max_retries=None if outcome.status == "rate_limited" else 5)
    return outcome.status


@shared_task(name="integrations.poll_due_connections", acks_late=True, reject_on_worker_lost=True)
def poll_due_connections_task() -> int:
    """Beat fan-out: enqueue a sync for every due connection, and re-enqueue inbox events whose task was lost."""
    from integrations.connectors import KINDS, get_connector
    from integrations.models import ChannelConnection, ConnectionStatus
    from integrations.services.inbox import inbox_stale_claim
    from integrations.services.sync import sync_runs_close_interrupted

    now = timezone.now()
    polling_kinds = [kind for kind in KINDS if get_connector(kind).polls]
    with unscoped("beat fan-out: due channel polls and stale inbox events across communities"):
        due = list(
            ChannelConnection.objects.filter(status__in=[ConnectionStatus.ACTIVE, ConnectionStatus.FAILING])
            .filter(kind__in=polling_kinds, poll_interval__gt=0)
            .filter(Q(next_poll_at__lte=now) | Q(next_poll_at__isnull=True))
            .order_by("next_poll_at")
            .values_list("pk", "community_id")[:FAN_OUT_LIMIT]
        )
        # Claim: push next_poll_at forward so the next beat does not enqueue them again.
        ChannelConnection.objects.filter(pk__in=[pk for pk, _ in due]).update(
            next_poll_at=RawSQL("now() + poll_interval * interval '1 second'", [])
        )
        stale = inbox_stale_claim(older_than=now - STALE_AFTER, limit=FAN_OUT_LIMIT)
        sync_runs_close_interrupted(started_before=now - timedelta(seconds=SYNC_LOCK_SECONDS))
    for connection_id, community_id in due:
        sync_connection_task.delay(community_id, connection_id)
    by_community: dict[int, list[int]] = {}
    for community_id, event_id in stale:
        by_community.setdefault(community_id, []).append(event_id)
    for community_id, event_ids in by_community.items():
        process_inbox_task.delay(community_id, event_ids)
    return len(due)


@shared_task(name="integrations.check_connection", soft_time_limit=30, time_limit=40)
def check_connection_task(community_id: int, connection_id: int) -> bool | None:
    """Not `scoped_task`: the platform call must not hold a transaction; the service scopes its reads and writes."""
    from integrations.services.connections import connection_check_run

    return connection_check_run(community_id=community_id, connection_id=connection_id)


@shared_task(name="integrations.remove_channel_content", bind=True, acks_late=True, reject_on_worker_lost=True)
def remove_channel_content_task(self, community_id: int, removal_id: int) -> str:
    """Not `scoped_task`: the platform call must not hold a transaction (the service scopes its own queries)."""
    from integrations.services.removals import channel_removal_perform

    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        return "skipped"
    last_try = self.request.retries >= REMOVAL_RETRIES
    outcome = channel_removal_perform(community=community, removal_id=removal_id, last_try=last_try)
    if outcome.retry_in:
        raise self.retry(countdown=outcome.retry_in, max_retries=REMOVAL_RETRIES)
    return outcome.status
