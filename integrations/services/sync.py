"""One sync of a connection: fetch pages, store each raw page, advance the cursor, process, record the run.

Each page is stored together with the cursor that follows it in one transaction, and processed in the next:
a crash between the two leaves pending inbox events that the sweeper (beat) processes, and never skips a page.
"""

import logging
from dataclasses import dataclass

from django.utils import timezone

from community.models import Community
from community.tenancy import community_scope
from integrations import http
from integrations.connectors import get_connector
from integrations.connectors.base import ConnectorError, MalformedPayload
from integrations.models import ChannelConnection, ConnectionStatus, InboxStatus, SyncRun, SyncRunStatus
from integrations.models.inbox import InboxSource

from .connections import connection_mark_failing, connection_mark_needs_reauth, next_poll
from .inbox import inbox_process, inbox_store

logger = logging.getLogger("hearth.integrations")

MAX_PAGES = 20


@dataclass
class SyncOutcome:
    run_id: int | None = None
    status: str = ""
    retry_in: int | None = None  # seconds; set when the platform asked us to wait or failed transiently


def _finish(run: SyncRun, status: str, error: str = "") -> None:
    run.status, run.error, run.finished_at = status, error[:2000], timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "pages", *COUNTERS])


COUNTERS = ["items_seen", "items_created", "items_duplicate", "items_error"]


def sync_runs_close_interrupted(*, started_before) -> int:
    """Runs still "running" long after any sync could last lost their worker (killed, machine gone): close them.

    Runs inside `unscoped` (the beat serves every community). The cursor only moves with a stored page, so
    the next sync carries on where the interrupted one stopped.
    """
    return SyncRun.objects.filter(status=SyncRunStatus.RUNNING, started_at__lt=started_before).update(
        status=SyncRunStatus.FAILED, error="interrupted: the worker stopped during the run", finished_at=timezone.now()
    )


def connection_sync(*, community: Community, connection_id: int, mode: str = "poll", max_pages: int = MAX_PAGES):
    """Run outside any transaction (HTTP must not hold one); enters the community scope per step."""
    with community_scope(community.pk):
        connection = ChannelConnection.objects.for_community(community).filter(pk=connection_id).first()
        if connection is None or connection.status == ConnectionStatus.PAUSED:
            return SyncOutcome(status="skipped")
        if connection.status == ConnectionStatus.NEEDS_REAUTH and mode != "resync":
            return SyncOutcome(status="needs_reauth")
        connector = get_connector(connection.kind)
        if not connector.polls:
            return SyncOutcome(status="skipped")
        run = SyncRun.objects.create(community=community, connection=connection, mode=mode)
    try:
        return _sync_pages(community, connection, connector, run, max_pages)
    except Exception as error:
        # A bug or a lost database must not leave the run "running" for ever: close it, then let the task fail.
        with community_scope(community.pk):
            _finish(run, SyncRunStatus.FAILED, f"crashed: {type(error).__name__}: {error}")
        raise


def _sync_pages(community: Community, connection: ChannelConnection, connector, run: SyncRun, max_pages: int):
    cursor = dict(connection.sync_cursor or {})
    for _ in range(max_pages):
        try:
            page = connector.fetch(connection, cursor)
        except http.RateLimited as error:
            with community_scope(community.pk):
                _finish(run, SyncRunStatus.RATE_LIMITED, str(error))
                ChannelConnection.objects.for_community(community).filter(pk=connection.pk).update(
                    next_poll_at=next_poll(connection, error.wait)
                )
            return SyncOutcome(run.pk, SyncRunStatus.RATE_LIMITED, retry_in=error.wait)
        except http.AuthFailed as error:
            with community_scope(community.pk):
                _finish(run, SyncRunStatus.FAILED, str(error))
                connection_mark_needs_reauth(connection=connection, error=str(error))
            return SyncOutcome(run.pk, SyncRunStatus.FAILED)
        except MalformedPayload as error:
            with community_scope(community.pk):
                if error.raw is not None:  # keep the unreadable page: failed, with the reason, replayable
                    inbox_store(
                        community=community,
                        connection=connection,
                        events=[error.raw],
                        source=InboxSource.POLL,
                        status=InboxStatus.FAILED,
                        error=f"malformed: {error}",
                    )
                run.items_error += 1
                _finish(run, SyncRunStatus.FAILED, f"malformed page: {error}")
                connection_mark_failing(connection=connection, error=f"malformed page: {error}")
            return SyncOutcome(run.pk, SyncRunStatus.FAILED)
        except (http.TransientError, http.BadResponse, ConnectorError) as error:
            with community_scope(community.pk):
                _finish(run, SyncRunStatus.FAILED, str(error))
                connection_mark_failing(connection=connection, error=str(error))
            transient = isinstance(error, http.TransientError)
            return SyncOutcome(run.pk, SyncRunStatus.FAILED, retry_in=60 if transient else None)

        with community_scope(community.pk):
            stored = inbox_store(
                community=community, connection=connection, events=page.events, source=InboxSource.POLL
            )
            ChannelConnection.objects.for_community(community).filter(pk=connection.pk).update(
                sync_cursor=page.next_cursor
            )
            run.pages += 1
        cursor = page.next_cursor
        if stored:
            with community_scope(community.pk):
                summary = inbox_process(community=community, event_ids=[event.pk for event in stored])
                run.items_seen += summary["seen"]
                run.items_created += summary["created"]
                run.items_duplicate += summary["existing"]
                run.items_error += summary["errors"] + summary["failed"]
        if not page.has_more:
            break

    with community_scope(community.pk):
        _finish(run, SyncRunStatus.SUCCEEDED)
        now = timezone.now()
        mine = ChannelConnection.objects.for_community(community).filter(pk=connection.pk)
        mine.update(last_success_at=now, last_error="", next_poll_at=next_poll(connection))
        mine.filter(status=ConnectionStatus.FAILING).update(status=ConnectionStatus.ACTIVE)  # a pause stays
    return SyncOutcome(run.pk, SyncRunStatus.SUCCEEDED)
