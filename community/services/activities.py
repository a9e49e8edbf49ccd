"""Recording activities: one for a known member, or bulk ingest that resolves identities to members.

Idempotent by construction: (community, source, external_id) is unique and inserts use ON CONFLICT DO NOTHING,
so ingesting the same thing twice returns the stored row. A batch costs a constant number of queries.
"""

import json
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from community.models import Activity, ActivityKind, Community, Member

from .communities import ServiceError
from .identities import identities_resolve, identity_key

# Built once: ActivityKind.values makes a new list on every access, and ingest checks every item.
ACTIVITY_KINDS = frozenset(ActivityKind.values)
MAX_BATCH = 1000
INSERT_CHUNK = 1000  # rows per INSERT statement (17 parameters each stays far below Postgres' limit)

_INSERT_COLUMNS = (
    "community_id",
    "member_id",
    "kind",
    "channel",
    "source",
    "connection_id",
    "external_id",
    "occurred_at",
    "title",
    "body",
    "url",
    "parent_external_id",
    "sentiment_label",
    "extra",
    "created_at",
)
_INSERT_TYPES = (
    "bigint", "bigint", "text", "text", "text", "bigint", "text", "timestamptz",
    "text", "text", "text", "text", "text", "jsonb", "timestamptz",
)  # fmt: skip
_url_valid = URLValidator(schemes=["http", "https"])
_email_valid = EmailValidator()


def activity_record(
    *,
    community: Community,
    member: Member,
    kind: str,
    source: str,
    external_id: str,
    occurred_at: datetime,
    title: str = "",
    body: str = "",
    url: str = "",
    parent_external_id: str = "",
    channel: str = "forum",
    connection_id: int | None = None,
    extra: dict | None = None,
) -> Activity:
    """Store one activity for a known member; idempotent on (community, source, external_id): returns the existing row."""
    if kind not in ACTIVITY_KINDS:
        raise ServiceError(f"Unknown activity kind {kind!r}.", field="kind")
    if member.community_id != community.pk:
        raise ServiceError("No such member.", code="not_found", field="member")
    external_id = str(external_id)
    existing = Activity.objects.for_community(community).filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing
    activity = Activity(
        community=community,
        member=member,
        kind=kind,
        channel=channel,
        source=source,
        connection_id=connection_id,
        external_id=external_id,
        occurred_at=_aware(occurred_at),
        title=title[:500],
        body=body,
        url=url[:1000],
        parent_external_id=str(parent_external_id or "")[:255],
        extra=extra or {},
        created_at=timezone.now(),
    )
    inserted = _insert(community, [activity])
    if not inserted:  # a concurrent writer stored it between our read and our insert
        return Activity.objects.for_community(community).get(source=source, external_id=external_id)
    activity.pk = inserted[(source, external_id)]
    _bump_members(community, [activity])
    return activity


def activity_ingest(
    *,
    community: Community,
    items: list[dict],
    source_default: str | None = None,
    connection_id: int | None = None,
) -> list[dict]:
    """Bulk ingest of Activity-API-shaped dicts; one result per item, in order.

    Items: {source, external_id, kind, occurred_at, title?, body?, url?, parent_external_id?, extra?,
    identity: {channel, external_id, handle?, name?, email?, email_verified?, url?, avatar_url?}}.
    Results: {"status": "created"|"existing"|"error", "id": int|None, "errors": {...}}.
    """
    results: list[dict[str, Any]] = [{"status": "error", "id": None, "errors": {}} for _ in items]
    valid: dict[int, dict] = {}
    for index, item in enumerate(items):
        cleaned, errors = activity_validate(item, source_default=source_default)
        if errors:
            results[index]["errors"] = errors
        else:
            valid[index] = cleaned
    if not valid:
        return results
    keys = {(c["source"], c["external_id"]) for c in valid.values()}
    stored = _existing_ids(community, keys)

    # Items new to us (first occurrence of each key in the batch) need a member and an insert.
    fresh: dict[tuple[str, str], int] = {}
    for index, cleaned in valid.items():
        key = (cleaned["source"], cleaned["external_id"])
        if key not in stored and key not in fresh:
            fresh[key] = index
    members = identities_resolve(community=community, identities=[valid[i]["identity"] for i in fresh.values()])
    now = timezone.now()
    activities = []
    for index in fresh.values():
        cleaned = valid[index]
        activities.append(
            Activity(
                community=community,
                member_id=members[identity_key(cleaned["identity"])],
                kind=cleaned["kind"],
                channel=cleaned["identity"]["channel"],
                source=cleaned["source"],
                connection_id=connection_id,
                external_id=cleaned["external_id"],
                occurred_at=cleaned["occurred_at"],
                title=cleaned["title"],
                body=cleaned["body"],
                url=cleaned["url"],
                parent_external_id=cleaned["parent_external_id"],
                extra=cleaned["extra"],
                created_at=now,
            )
        )
    created: dict[tuple[str, str], int] = {}
    for start in range(0, len(activities), INSERT_CHUNK):
        created.update(_insert(community, activities[start : start + INSERT_CHUNK]))
    lost = set(fresh) - set(created)
    if lost:  # stored concurrently by another writer after our read: they exist now
        stored.update(_existing_ids(community, lost))
    for activity in activities:
        activity.pk = created.get((activity.source, activity.external_id))
    _bump_members(community, [a for a in activities if a.pk])

    seen: set[tuple[str, str]] = set()
    for index, cleaned in valid.items():
        key = (cleaned["source"], cleaned["external_id"])
        if key in created and key not in seen:
            results[index] = {"status": "created", "id": created[key], "errors": {}}
        else:
            results[index] = {"status": "existing", "id": created.get(key) or stored.get(key), "errors": {}}
        seen.add(key)
    return results


def activity_validate(item: Any, *, source_default: str | None = None) -> tuple[dict, dict]:
    """Check one Activity-API item; return (cleaned, errors) where errors maps field -> [messages]."""
    errors: dict[str, list[str]] = {}
    if not isinstance(item, dict):
        return {}, {"non_field_errors": ["Expected an object."]}

    def text(name: str, max_length: int, required: bool = False, source: dict = item, errs: dict = errors) -> str:
        value = source.get(name)
        if value is None or value == "":
            if required:
                errs.setdefault(name, []).append("This field is required.")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            errs.setdefault(name, []).append("Expected a string.")
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            errs.setdefault(name, []).append(f"Ensure this field has no more than {max_length} characters.")
        return value

    cleaned: dict[str, Any] = {
        "source": text("source", 80, required=not source_default) or (source_default or ""),
        "external_id": text("external_id", 255, required=True),
        "kind": text("kind", 24, required=True),
        "title": text("title", 500),
        "body": text("body", 200_000),
        "url": text("url", 1000),
        "parent_external_id": text("parent_external_id", 255),
    }
    if cleaned["kind"] and cleaned["kind"] not in ACTIVITY_KINDS:
        errors.setdefault("kind", []).append(f"'{cleaned['kind']}' is not a valid kind.")
    if cleaned["url"]:
        try:
            _url_valid(cleaned["url"])
        except ValidationError:
            errors.setdefault("url", []).append("Enter a valid URL.")
    occurred = item.get("occurred_at")
    parsed = parse_datetime(occurred) if isinstance(occurred, str) else occurred
    if not isinstance(parsed, datetime):
        errors.setdefault("occurred_at", []).append("Expected an ISO 8601 date-time.")
    else:
        cleaned["occurred_at"] = _aware(parsed)
    extra = item.get("extra") or {}
    if not isinstance(extra, dict):
        errors.setdefault("extra", []).append("Expected an object.")
    cleaned["extra"] = extra if isinstance(extra, dict) else {}

    identity = item.get("identity")
    if not isinstance(identity, dict):
        errors.setdefault("identity", []).append("This field is required (an object).")
        return cleaned, errors
    ierrs: dict[str, list[str]] = {}
    clean_identity = {
        "channel": text("channel", 40, required=True, source=identity, errs=ierrs),
        "external_id": text("external_id", 255, required=True, source=identity, errs=ierrs),
        "handle": text("handle", 150, source=identity, errs=ierrs),
        "name": text("name", 150, source=identity, errs=ierrs),
        "email": text("email", 254, source=identity, errs=ierrs).lower(),
        "url": text("url", 500, source=identity, errs=ierrs),
        "avatar_url": text("avatar_url", 200, source=identity, errs=ierrs),
    }
    if clean_identity["email"]:
        try:
            _email_valid(clean_identity["email"])
        except ValidationError:
            ierrs.setdefault("email", []).append("Enter a valid email address.")
    if clean_identity["url"]:
        try:
            _url_valid(clean_identity["url"])
        except ValidationError:
            ierrs.setdefault("url", []).append("Enter a valid URL.")
    if "email_verified" in identity:
        clean_identity["email_verified"] = bool(identity["email_verified"])
    if isinstance(identity.get("profile"), dict):
        clean_identity["profile"] = identity["profile"]
    if ierrs:
        errors["identity"] = [f"{field}: {' '.join(msgs)}" for field, msgs in ierrs.items()]
    cleaned["identity"] = clean_identity
    return cleaned, errors


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def _existing_ids(community: Community, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    if not keys:
        return {}
    rows = (
        Activity.objects.for_community(community)
        .filter(source__in={k[0] for k in keys}, external_id__in={k[1] for k in keys})
        .values_list("source", "external_id", "id")
    )
    return {(source, external_id): pk for source, external_id, pk in rows if (source, external_id) in keys}


def _insert(community: Community, activities: list[Activity]) -> dict[tuple[str, str], int]:
    """INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING: the ids of the rows this statement created.

    One array per column keeps the statement and its parameters small and constant in shape (a VALUES list of
    1,000 rows was 15,000 parameters and ~400 KB of SQL to parse); COPY is refused under row-level security.
    """
    if not activities:
        return {}
    table = Activity._meta.db_table
    now = timezone.now()
    columns: list[list[Any]] = [[] for _ in _INSERT_COLUMNS]
    for a in activities:
        values = (
            community.pk,
            a.member_id,
            a.kind,
            a.channel,
            a.source,
            a.connection_id,
            a.external_id,
            a.occurred_at,
            a.title,
            a.body,
            a.url,
            a.parent_external_id,
            a.sentiment_label or "",
            json.dumps(a.extra or {}),
            a.created_at or now,
        )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    arrays = ", ".join(f"%s::{sql_type}[]" for sql_type in _INSERT_TYPES)
    # Only static identifiers and types are formatted in; every value travels in a parameter.
    sql = (
        f'INSERT INTO "{table}" ({", ".join(_INSERT_COLUMNS)}) '  # noqa: S608
        f"SELECT * FROM unnest({arrays}) "
        "ON CONFLICT (community_id, source, external_id) DO NOTHING RETURNING source, external_id, id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, columns)
        return {(source, external_id): pk for source, external_id, pk in cursor.fetchall()}


def _bump_members(community: Community, activities: list[Activity]) -> None:
    """One UPDATE for the batch: activity counts, first seen and last active of the members concerned."""
    stats: dict[int, list] = defaultdict(lambda: [0, None, None])
    for a in activities:
        if a.member_id is None:
            continue
        entry = stats[a.member_id]
        entry[0] += 1
        entry[1] = a.occurred_at if entry[1] is None else min(entry[1], a.occurred_at)
        entry[2] = a.occurred_at if entry[2] is None else max(entry[2], a.occurred_at)
    if not stats:
        return
    values = ", ".join(["(%s::bigint, %s::integer, %s::timestamptz, %s::timestamptz)"] * len(stats))
    params: list[Any] = [p for member_id, (n, first, last) in stats.items() for p in (member_id, n, first, last)]
    table = Member._meta.db_table
    sql = (
        f'UPDATE "{table}" AS m SET activity_count = m.activity_count + v.n, '  # noqa: S608 (static SQL)
        "last_active_at = GREATEST(m.last_active_at, v.last), "
        "first_seen_at = LEAST(COALESCE(m.first_seen_at, v.first), v.first) "
        f"FROM (VALUES {values}) AS v(id, n, first, last) WHERE m.id = v.id AND m.community_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, community.pk])
