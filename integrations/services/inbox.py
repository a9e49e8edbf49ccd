"""The raw inbox: store deliveries and fetched pages, then turn them into activities (idempotently)."""

import logging
from collections import defaultdict

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community
from community.policy import Actor, can
from community.services.activities import activity_ingest
from community.task_queue import enqueue_on_commit
from integrations.connectors import get_connector
from integrations.connectors.base import MalformedPayload, RawEvent, UnknownEvent, header
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus
from integrations.models.inbox import InboxSource

logger = logging.getLogger("hearth.integrations")

INGEST_BATCH = 500  # items per activity_ingest call
SWEEP_GIVE_UP = 10  # a received event whose processing crashed this many times is failed, not swept again
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
            for (event, entry), result in _ingest_guarded(community, connection_id, chunk):
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


def inbox_store_delivery(
    *, community: Community, connection: ChannelConnection, event: RawEvent, status: str, error: str = ""
) -> tuple[InboxEvent, bool]:
    """Store one webhook delivery unless its delivery id is already stored: (the stored row, was it a duplicate).

    Platforms resend on a slow answer and attackers replay captured deliveries; neither may add a row. The
    unique constraint `inbox_one_delivery` settles a race between two copies arriving at once.
    """
    delivery_id = event.delivery_id[:120]
    earlier = InboxEvent.objects.for_community(community).filter(
        connection=connection, source=InboxSource.WEBHOOK, delivery_id=delivery_id
    )
    if delivery_id and (found := earlier.first()) is not None:
        return found, True
    try:
        with transaction.atomic():
            (stored,) = inbox_store(
                community=community, connection=connection, events=[event], status=status, error=error
            )
    except IntegrityError:
        return earlier.get(), True
    return stored, False


def _ingest_guarded(community: Community, connection_id: int, chunk: list[tuple[InboxEvent, dict]]):
    """Ingest a chunk in a savepoint; if the database refuses it, again one event at a time.

    Validation catches what it knows, but a refusal it does not (a value Postgres cannot store) must cost only
    the event that carries it: without the savepoint the whole transaction, with its bookkeeping, rolled back,
    the good events of the batch never landed and the sweep retried the batch for ever.
    """
    try:
        with transaction.atomic():
            results = activity_ingest(
                community=community, items=[entry for _, entry in chunk], connection_id=connection_id
            )
        return list(zip(chunk, results, strict=True))
    except (DatabaseError, ValueError):  # ValueError: what the driver cannot encode
        logger.warning("ingest chunk refused, retrying per event: connection=%s", connection_id, exc_info=True)
    by_event: dict[int, list[tuple[InboxEvent, dict]]] = defaultdict(list)
    for pair in chunk:
        by_event[pair[0].pk].append(pair)
    paired = []
    for pairs in by_event.values():
        try:
            with transaction.atomic():
                results = activity_ingest(
                    community=community, items=[entry for _, entry in pairs], connection_id=connection_id
                )
        except (DatabaseError, ValueError) as error:
            reason = {"database": [f"refused by the database: {str(error).splitlines()[0][:300]}"]}
            results = [{"status": "error", "id": None, "errors": reason} for _ in pairs]
        paired.extend(zip(pairs, results, strict=True))
    return paired


def inbox_stale_claim(*, older_than, limit: int) -> list[tuple[int, int]]:
    """(community id, event id) of received events whose task was lost, for the beat to enqueue again.

    Runs inside `unscoped` (it serves every community). A crash rolls back the attempt a worker counted, so the
    sweep counts its own: an event that crashed `SWEEP_GIVE_UP` times becomes failed with the reason, visible on
    the channel page and replayable once the cause is fixed, instead of being retried for ever.
    """
    received = InboxEvent.objects.filter(status=InboxStatus.RECEIVED, received_at__lte=older_than).exclude(
        connection__status=ConnectionStatus.PAUSED
    )
    received.filter(attempts__gte=SWEEP_GIVE_UP).update(
        status=InboxStatus.FAILED,
        error=f"gave up: processing stopped without an answer {SWEEP_GIVE_UP} times (see the worker log); "
        "replay it once the cause is fixed",
    )
    stale = list(received.filter(attempts__lt=SWEEP_GIVE_UP).order_by("pk").values_list("community_id", "pk")[:limit])
    InboxEvent.objects.filter(pk__in=[pk for _, pk in stale]).update(attempts=F("attempts") + 1)
    return stale


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
    # The delivery id first: the generic connector's own header is an X-Hearth-* one, stripped just below.
    delivery_id = connector.delivery_id(body, headers) or header(headers, "X-Request-Id")
    # X-Hearth-* headers mark pages our own fetchers stored (their event type travels in X-Hearth-Event); a
    # delivery from outside never carries them, even a correctly signed one, so it cannot pose as a page.
    headers = {key: value for key, value in headers.items() if not key.lower().startswith("x-hearth-")}
    event_type = connector.classify(body, headers)
    raw = RawEvent(
        event_type=event_type,
        body=body,
        headers=headers,
        delivery_id=delivery_id,
    )
    return raw, connector.handles(event_type)
