"""Removing ingested content on its platform, for a moderator's decision (issue 15: channel-side removal).

`channel_removal_request` runs in the moderator's transaction: one row per activity, and the task is sent only
after commit. `channel_removal_perform` is the worker's half: it claims the row by a conditional UPDATE, calls
the platform with no transaction open (as the sync does), and records the outcome. A re-delivered or duplicate
task finds the row claimed or done and calls nothing; a crash mid-call leaves a `sending` row that is claimed
again after `STALE_CLAIM`, and connectors treat content already gone as removed, so that retry is harmless.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from community.models import Activity, Community
from community.policy import Actor
from community.task_queue import enqueue_on_commit
from community.tenancy import community_scope
from integrations import http
from integrations.connectors import get_connector
from integrations.connectors.base import ConnectorError, NotRemovable
from integrations.models import ChannelConnection, ChannelRemoval, RemovalStatus

STALE_CLAIM = timedelta(minutes=10)
TASK = "integrations.remove_channel_content"


@dataclass
class RemovalOutcome:
    status: str
    retry_in: int | None = None  # seconds: the platform asked us to wait, or failed for now


def channel_removal_request(*, community: Community, actor: Actor, activity: Activity) -> ChannelRemoval | None:
    """Ask for `activity` to be removed where it was posted; None when it did not come from a connection.

    The caller (moderation) has decided already; asking again for a removal that failed tries again, asking
    again for one pending or done changes nothing.
    """
    if activity.connection_id is None:
        return None
    member = actor.member if actor.api_key is None else None
    try:
        with transaction.atomic():
            removal = ChannelRemoval.objects.create(
                community=community, activity=activity, connection_id=activity.connection_id, requested_by=member
            )
    except IntegrityError:
        removal = ChannelRemoval.objects.for_community(community).get(activity=activity)
        retried = (
            ChannelRemoval.objects.for_community(community)
            .filter(pk=removal.pk, status=RemovalStatus.FAILED)
            .update(status=RemovalStatus.PENDING, error="", requested_by=member)
        )
        if not retried:
            return removal
        removal.refresh_from_db()
    enqueue_on_commit(TASK, community.pk, removal.pk)
    return removal


def _finish(community: Community, removal_id: int, status: str, error: str = "") -> None:
    with community_scope(community.pk):
        ChannelRemoval.objects.for_community(community).filter(pk=removal_id).update(
            status=status,
            error=error[:500],
            claimed_at=None,
            done_at=timezone.now() if status == RemovalStatus.DONE else None,
        )


def channel_removal_perform(*, community: Community, removal_id: int, last_try: bool = False) -> RemovalOutcome:
    """Carry out one removal; on `last_try` a platform still down or still limiting us is a failure, not a wait."""
    now = timezone.now()
    with community_scope(community.pk):
        removals = ChannelRemoval.objects.for_community(community).filter(pk=removal_id)
        claimable = Q(status=RemovalStatus.PENDING) | Q(status=RemovalStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        claimed = removals.filter(claimable).update(
            status=RemovalStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        removal = removals.select_related("activity").first()
        if removal is None or not claimed:
            return RemovalOutcome(removal.status if removal else "missing")
        connection = ChannelConnection.objects.for_community(community).filter(pk=removal.connection_id).first()
    if connection is None:
        _finish(community, removal_id, RemovalStatus.FAILED, "The connection was deleted.")
        return RemovalOutcome(RemovalStatus.FAILED)
    try:
        get_connector(connection.kind).remove(connection, removal.activity)
    except NotRemovable as error:
        _finish(community, removal_id, RemovalStatus.UNSUPPORTED, str(error))
        return RemovalOutcome(RemovalStatus.UNSUPPORTED)
    except (http.RateLimited, http.TransientError) as error:
        if last_try:
            _finish(community, removal_id, RemovalStatus.FAILED, f"Gave up: {error}")
            return RemovalOutcome(RemovalStatus.FAILED)
        _finish(community, removal_id, RemovalStatus.PENDING, str(error))
        wait = error.wait if isinstance(error, http.RateLimited) else 60
        return RemovalOutcome(RemovalStatus.PENDING, retry_in=wait)
    except (http.HttpProblem, ConnectorError) as error:
        # Refused credentials, a missing permission, an answer we cannot read: a person must look, not a retry.
        _finish(community, removal_id, RemovalStatus.FAILED, str(error))
        return RemovalOutcome(RemovalStatus.FAILED)
    _finish(community, removal_id, RemovalStatus.DONE)
    return RemovalOutcome(RemovalStatus.DONE)
