"""Recording activities: one for a known member, or bulk ingest that resolves identities to members.

Idempotent by construction: (community, source, external_id) is unique and inserts use ON CONFLICT DO NOTHING,
so ingesting the same thing twice returns the stored row. A batch costs a constant number of queries.
Sentiment is not scored here: a source's own score is kept as given (analyser "source@1"); everything else is
scored after commit by the app listening for new activities (insights.process_activities, via activities_announce).
"""

import json
import re
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from community import registry
from community.errors import ServiceError
from community.models import Activity, ActivityKind, Community, Member
from community.task_queue import enqueue_on_commit
from community.text_input import storable

from .identities import identities_resolve, identity_key
from .key_probe import probe_by_key

SENTIMENT_LABELS = frozenset({"positive", "neutral", "negative"})
SOURCE_ANALYSER = "source@1"  # the sentiment came with the activity, from its source

# Built once: ActivityKind.values makes a new list on every access, and ingest checks every item.
ACTIVITY_KINDS = frozenset(ActivityKind.values)
MAX_BATCH = 1000
INSERT_CHUNK = 1000  # rows per INSERT statement (one array parameter per column, whatever the row count)

# Where the service builds rows itself (tuples, no model instances: building 1,000 `Activity` objects per batch
# only to read their attributes back cost ~5% of ingest), this is their column order.
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
    "sentiment",
    "sentiment_label",
    "sentiment_analyser",
    "extra",
    "created_at",
)
_INSERT_TYPES = (
    "bigint", "bigint", "text", "text", "text", "bigint", "text", "timestamptz",
    "text", "text", "text", "text", "double precision", "text", "text", "jsonb", "timestamptz",
)  # fmt: skip
# Positions in a row tuple, read from the column order so the two cannot drift apart.
_MEMBER, _SOURCE, _EXTERNAL_ID, _OCCURRED_AT = map(
    _INSERT_COLUMNS.index, ("member_id", "source", "external_id", "occurred_at")
)

_url_valid = URLValidator(schemes=["http", "https"])
_email_valid = EmailValidator()
# Plain ASCII http(s) URLs (the vast majority) are checked with one regex; anything else goes through Django's
# URLValidator (IDNA, ports, IPs, user info: 5% of ingest time when every URL took that path). Every URL this
# accepts, URLValidator accepts too (tests/community/test_activities.py compares them).
_PLAIN_URL = re.compile(r"https?://((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63})(?:/[!-~]*)?")


def url_is_valid(value: str) -> bool:
    plain = _PLAIN_URL.fullmatch(value)
    if plain and len(value) <= _url_valid.max_length and len(plain[1]) <= 253:
        return True
    try:
        _url_valid(value)
    except ValidationError:
        return False
    return True


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
        sentiment=None,
        sentiment_label="",
        sentiment_analyser="",
        extra=extra or {},
        created_at=timezone.now(),
    )
    row = tuple(json.dumps(activity.extra) if name == "extra" else getattr(activity, name) for name in _INSERT_COLUMNS)
    inserted = _insert([row])
    if not inserted:  # a concurrent writer stored it between our read and our insert
        return Activity.objects.for_community(community).get(source=source, external_id=external_id)
    activity.pk = inserted[(source, external_id)]
    _bump_members(community, [row])
    activities_announce(community_id=community.pk, activity_ids=[activity.pk])
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
    sentiment? ({score, label?} or a number), sentiment_label?,
    identity: {channel, external_id, handle?, name?, email?, email_verified?, url?, avatar_url?}}.
    Results: {"status": "created"|"existing"|"error", "id": int|None, "errors": {...}}.
    Items with text and no sentiment of their own are scored after commit by the activity listeners.
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
    rows = []
    for index in fresh.values():
        c = valid[index]
        sentiment, label = c["sentiment"], c["sentiment_label"]
        analyser = SOURCE_ANALYSER if sentiment is not None else ""
        member_id, channel = members[identity_key(c["identity"])], c["identity"]["channel"]
        rows.append((community.pk, member_id, c["kind"], channel, c["source"], connection_id, c["external_id"],
                     c["occurred_at"], c["title"], c["body"], c["url"], c["parent_external_id"], sentiment, label,
                     analyser, json.dumps(c["extra"]), now))  # fmt: skip
    created: dict[tuple[str, str], int] = {}
    for start in range(0, len(rows), INSERT_CHUNK):
        created.update(_insert(rows[start : start + INSERT_CHUNK]))
    lost = set(fresh) - set(created)
    if lost:  # stored concurrently by another writer after our read: they exist now
        stored.update(_existing_ids(community, lost))
    _bump_members(community, [row for row in rows if (row[_SOURCE], row[_EXTERNAL_ID]) in created])
    activities_announce(community_id=community.pk, activity_ids=sorted(created.values()))

    seen: set[tuple[str, str]] = set()
    for index, cleaned in valid.items():
        key = (cleaned["source"], cleaned["external_id"])
        if key in created and key not in seen:
            results[index] = {"status": "created", "id": created[key], "errors": {}}
        else:
            results[index] = {"status": "existing", "id": created.get(key) or stored.get(key), "errors": {}}
        seen.add(key)
    return results


def activities_announce(*, community_id: int, activity_ids: list[int]) -> None:
    """Tell every registered activity listener (registry.activity_listeners) about new rows, after commit."""
    if activity_ids:
        for task_name in registry.activity_listeners():
            enqueue_on_commit(task_name, community_id, activity_ids)


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
        value = storable(str(value)).strip()
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
    if cleaned["url"] and not url_is_valid(cleaned["url"]):
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
    cleaned["extra"] = storable(extra) if isinstance(extra, dict) else {}
    # A source that scores its own text (or knows better) wins: its score and label are kept as given. The API
    # sends the object it shows ({"score", "label"?}); connectors pass a number and maybe `sentiment_label`.
    sentiment = item.get("sentiment")
    label = item.get("sentiment_label") or ""
    if isinstance(sentiment, dict):
        label = sentiment.get("label") or ""
        sentiment = sentiment.get("score")
        if sentiment is None:
            errors.setdefault("sentiment", []).append("Expected a score between -1 and 1.")
    if sentiment is not None and (
        isinstance(sentiment, bool) or not isinstance(sentiment, int | float) or not -1 <= sentiment <= 1
    ):
        errors.setdefault("sentiment", []).append("Expected a number between -1 and 1.")
        sentiment = None
    if label and (not isinstance(label, str) or label not in SENTIMENT_LABELS):  # a list is unhashable: not a 500
        errors.setdefault("sentiment_label", []).append("Expected positive, neutral or negative.")
        label = ""
    # A label without a score means nothing in the sentiment object (score is its one required part): dropped.
    cleaned["sentiment"] = float(sentiment) if sentiment is not None else None
    cleaned["sentiment_label"] = (label or sentiment_label(sentiment)) if sentiment is not None else ""

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
    if clean_identity["url"] and not url_is_valid(clean_identity["url"]):
        ierrs.setdefault("url", []).append("Enter a valid URL.")
    if clean_identity["avatar_url"] and not url_is_valid(clean_identity["avatar_url"]):
        # A picture is cosmetic: a platform's odd value (javascript:, data:, a path) is dropped, the activity kept.
        clean_identity["avatar_url"] = ""
    if "email_verified" in identity:
        clean_identity["email_verified"] = bool(identity["email_verified"])
    if isinstance(identity.get("profile"), dict):
        clean_identity["profile"] = storable(identity["profile"])
    if identity.get("bot") is True:  # the Activity API's bot flag: kept on the profile, where metrics look for it
        clean_identity["profile"] = {**clean_identity.get("profile", {}), "bot": True}
    if ierrs:
        errors["identity"] = [f"{field}: {' '.join(msgs)}" for field, msgs in ierrs.items()]
    cleaned["identity"] = clean_identity
    return cleaned, errors


def sentiment_label(score: float) -> str:
    """The label of a source's score that came without one: the usual ±0.05 band."""
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value, UTC) if timezone.is_naive(value) else value


def _existing_ids(community: Community, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Ids of the keys already stored: one probe of the unique (community, source, external_id) index per key."""
    return probe_by_key(
        table=Activity._meta.db_table,
        community_id=community.pk,
        key_columns=("source", "external_id"),
        value_column="id",
        keys=keys,
    )


def _insert(rows: list[tuple]) -> dict[tuple[str, str], int]:
    """INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING: the ids of the rows this statement created.

    One array per column keeps the statement and its parameters small and constant in shape (a VALUES list of
    1,000 rows was 15,000 parameters and ~400 KB of SQL to parse); COPY is refused under row-level security.
    Rows are tuples in `_INSERT_COLUMNS` order.
    """
    if not rows:
        return {}
    table = Activity._meta.db_table
    columns = [list(column) for column in zip(*rows, strict=True)]
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


def _bump_members(community: Community, rows: list[tuple]) -> None:
    """One UPDATE for the batch: activity counts, first seen and last active of the members concerned.

    `UPDATE … FROM unnest(…)` (array parameters) instead of a VALUES list rendered client-side; the extra
    `m.id = ANY(ids)` makes the planner probe the primary key per member instead of hashing the community's
    whole member table (25 ms at 20k members). Ids go in ascending order so that two workers bumping
    overlapping members lock them in the same order.
    """
    stats: dict[int, list] = {}
    for row in rows:
        member_id, occurred = row[_MEMBER], row[_OCCURRED_AT]
        if member_id is None:
            continue
        entry = stats.get(member_id)
        if entry is None:
            stats[member_id] = [1, occurred, occurred]
        else:
            entry[0] += 1
            if occurred < entry[1]:
                entry[1] = occurred
            if occurred > entry[2]:
                entry[2] = occurred
    if not stats:
        return
    ids = sorted(stats)
    table = Member._meta.db_table
    sql = (
        f'UPDATE "{table}" AS m SET activity_count = m.activity_count + v.n, '  # noqa: S608 (static SQL)
        "last_active_at = GREATEST(m.last_active_at, v.last), "
        "first_seen_at = LEAST(COALESCE(m.first_seen_at, v.first), v.first) "
        "FROM unnest(%s::bigint[], %s::integer[], %s::timestamptz[], %s::timestamptz[]) AS v(id, n, first, last) "
        "WHERE m.id = v.id AND m.id = ANY(%s::bigint[]) AND m.community_id = %s"
    )
    counts, firsts, lasts = [stats[i][0] for i in ids], [stats[i][1] for i in ids], [stats[i][2] for i in ids]
    params = [ids, counts, firsts, lasts, ids, community.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
