"""The raw inbox: store deliveries and fetched pages, then turn them into activities (idempotently)."""

import logging
from collections import defaultdict

from django.utils import timezone

from community.errors import ServiceError
from community.models import Community
from community.policy import Actor, can
from community.services.activities import activity_ingest
from community.task_queue import enqueue_on_commit
from integrations.connectors import get_connector
from integrations.connectors.base import MalformedPayload, RawEvent, UnknownEvent, header
from integrations.models import ChannelConnection, InboxEvent, InboxStatus
from integrations.models.inbox import InboxSource

logger = logging.getLogger("hearth.integrations")

INGEST_BATCH = 500  # items per activity_ingest call
NEVER_KEPT = {"authorization", "cookie", "x-api-key"}


def _kept_headers(connection: ChannelConnection, headers: dict) -> dict:
    kept = set(get_connector(connection.kind).kept_headers)
    return {
        key: value
        for key, value in headers.items()
        if key.lower() not in NEVER_KEPT and (key.lower() in kept or key.lower().startswith("x-hearth-"))
    }


def inbox_store(
    *,
    community: Community,
    connection: ChannelConnection,
    events: list[RawEvent],
    source: str = InboxSource.WEBHOOK,
    status: str = InboxStatus.RECEIVED,
    error: str = "",
) -> list[InboxEvent]:
    """Store raw events (one INSERT for the lot) before anything else looks at them."""
    rows = [
        InboxEvent(
            community=community,
            connection=connection,
            source=source,
            event_type=event.event_type[:80],
            delivery_id=event.delivery_id[:120],
            headers=_kept_headers(connection, event.headers),
            body=event.body,
            status=status,
            error=error,
        )
        for event in events
    ]
    return InboxEvent.objects.bulk_create(rows)


def inbox_process(*, community: Community, event_ids: list[int]) -> dict:
    """Parse stored events and ingest their items; a bad event fails alone and stays replayable.

    Claims the rows with FOR UPDATE SKIP LOCKED, so two workers never process the same event at once; a
    killed worker's transaction rolls back and the redelivered task finds the events still pending.
    """
    summary = {"processed": 0, "failed": 0, "skipped": 0, "seen": 0, "created": 0, "existing": 0, "errors": 0}
    events = list(
        InboxEvent.objects.for_community(community)
        .filter(pk__in=event_ids, status__in=[InboxStatus.RECEIVED, InboxStatus.FAILED])
        .select_related("connection")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )
    if not events:
        return summary
    now = timezone.now()
    pending: dict[int, list[tuple[InboxEvent, dict]]] = defaultdict(list)  # connection id -> [(event, item)]
    for event in events:
        event.attempts += 1
        event.processed_at = now
        event.items_created = event.items_existing = 0
        connector = get_connector(event.connection.kind)
        try:
            items = connector.parse(bytes(event.body), event.headers)
        except UnknownEvent as error:
            event.status, event.error = InboxStatus.SKIPPED, f"not an activity: {error}"
            summary["skipped"] += 1
            continue
        except MalformedPayload as error:
            event.status, event.error = InboxStatus.FAILED, f"malformed: {error}"
            summary["failed"] += 1
            continue
        except Exception as error:  # a parser bug must not lose the event: keep it, failed, with the error
            logger.exception("parser error: connection=%s event=%s", event.connection_id, event.pk)
            event.status, event.error = InboxStatus.FAILED, f"{type(error).__name__}: {error}"
            summary["failed"] += 1
            continue
        event.status, event.error = InboxStatus.PROCESSED, ""
        for entry in items:
            pending[event.connection_id].append((event, entry))

    item_errors: dict[int, list[str]] = defaultdict(list)
    for connection_id, pairs in pending.items():
        for start in range(0, len(pairs), INGEST_BATCH):
            chunk = pairs[start : start + INGEST_BATCH]
            results = activity_ingest(
                community=community, items=[entry for _, entry in chunk], connection_id=connection_id
            )
            for (event, entry), result in zip(chunk, results, strict=True):
                summary["seen"] += 1
                if result["status"] == "created":
                    event.items_created += 1
                    summary["created"] += 1
                elif result["status"] == "existing":
                    event.items_existing += 1
                    summary["existing"] += 1
                else:
                    summary["errors"] += 1
                    item_errors[event.pk].append(f"{entry.get('external_id')}: {result['errors']}")
    for event in events:
        if event.pk in item_errors:
            event.status = InboxStatus.FAILED
            event.error = "; ".join(item_errors[event.pk])[:4000]
            summary["failed"] += 1
        elif event.status == InboxStatus.PROCESSED:
            summary["processed"] += 1
    InboxEvent.objects.bulk_update(
        events, ["status", "error", "attempts", "processed_at", "items_created", "items_existing"]
    )
    return summary


def inbox_replay(*, community: Community, actor: Actor | None, events: list[InboxEvent]) -> int:
    """Put failed (or skipped) events back in the queue; processing is idempotent, so replays never duplicate."""
    if actor is not None and not can(actor, "channels.manage"):
        raise ServiceError("Your role or key scopes do not allow replaying events.", code="permission_denied")
    ids = [event.pk for event in events if event.status != InboxStatus.PROCESSED]
    if not ids:
        return 0
    InboxEvent.objects.for_community(community).filter(pk__in=ids).update(status=InboxStatus.RECEIVED, error="")
    enqueue_on_commit("integrations.process_inbox", community.pk, ids)
    return len(ids)


def webhook_event(connection: ChannelConnection, body: bytes, headers: dict) -> tuple[RawEvent, bool]:
    """Classify a verified delivery: the raw event and whether its type is one we turn into activity.

    Raises MalformedPayload (→ 400) when the body cannot be read at all.
    """
    connector = get_connector(connection.kind)
    # X-Hearth-* headers mark pages our own fetchers stored (their event type travels in X-Hearth-Event); a
    # delivery from outside never carries them, even a correctly signed one, so it cannot pose as a page.
    headers = {key: value for key, value in headers.items() if not key.lower().startswith("x-hearth-")}
    event_type = connector.classify(body, headers)
    raw = RawEvent(
        event_type=event_type,
        body=body,
        headers=headers,
        delivery_id=connector.delivery_id(body, headers) or header(headers, "X-Request-Id"),
    )
    return raw, connector.handles(event_type)
