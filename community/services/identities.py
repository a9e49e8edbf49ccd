"""Identity resolution: which member is this (channel, external id)? Exact identity, then verified email, else new.

Same handle or name on another channel only queues a merge suggestion; it never merges by itself.
Every function here costs a constant number of queries for a whole batch. The batch statements are written in
SQL with one array parameter per column (`unnest`): a `VALUES` list or `bulk_create` renders every value into
the statement client-side, and model instances built only to be inserted cost more than the insert.
Every statement names the community explicitly (row-level security is the backstop, not the filter).
"""

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from community.models import Community, Identity, Member, MemberStatus, MergeSuggestion, Organization
from community.models.merge import SuggestionStatus

from .key_probe import probe_by_key

# Members that no longer take new identities or suggestions.
CLOSED_STATUSES = (MemberStatus.ERASED, MemberStatus.MERGED)

IdentityKey = tuple[str, str]


def identity_key(identity: dict) -> IdentityKey:
    return (identity["channel"], str(identity["external_id"]))


def _email_of(identity: dict) -> str:
    """The identity's email if the integrator vouches for it (the default); '' otherwise."""
    email = (identity.get("email") or "").strip().lower()
    if not email or identity.get("email_verified") is False:
        return ""
    return email


def identities_resolve(*, community: Community, identities: list[dict]) -> dict[IdentityKey, int]:
    """Map every identity dict ({channel, external_id, handle?, name?, email?, url?}) to a member id.

    Unknown identities are attached to the member holding their verified email, or to a new member created
    for them (one per email or identity); new members that share a handle or name with an existing member
    are queued as merge suggestions.
    """
    infos: dict[IdentityKey, dict] = {}
    for identity in identities:
        infos.setdefault(identity_key(identity), identity)
    if not infos:
        return {}
    resolved = _identity_members(community, infos)
    pending = [key for key in infos if key not in resolved]
    if not pending:
        return resolved

    by_email = _members_by_verified_email(community, {_email_of(infos[key]) for key in pending} - {""})
    new_members: dict[str, dict] = {}  # grouping key ("email:…" or "identity:…") -> the new member's fields
    member_of_key: dict[IdentityKey, int | str] = {}
    for key in pending:
        info = infos[key]
        email = _email_of(info)
        if email and email in by_email:
            member_of_key[key] = by_email[email]
            continue
        group = f"email:{email}" if email else f"identity:{key[0]}:{key[1]}"
        if group not in new_members:
            new_members[group] = {
                "display_name": (info.get("name") or info.get("handle") or f"{key[0]} {key[1]}")[:150],
                "handle": (info.get("handle") or "")[:80],
                "email": email,
                "avatar_url": (info.get("avatar_url") or "")[:200],
            }
        member_of_key[key] = group

    if new_members:
        _insert_members(community, list(new_members.values()))
    for key, target in member_of_key.items():
        resolved[key] = new_members[target]["id"] if isinstance(target, str) else target

    raced = _insert_identities(community, {key: infos[key] for key in pending}, resolved)
    if raced:
        # A concurrent ingest stored some of these identities first: its member wins, follow it.
        resolved.update(_identity_members(community, {key: infos[key] for key in raced}))
    if new_members:
        _queue_suggestions(
            community,
            [(m["id"], m["handle"].lower(), m["display_name"].lower()) for m in new_members.values()],
        )
    return resolved


MAX_SUGGESTIONS_PER_MEMBER = 5
_IDENTITY_TABLE = Identity._meta.db_table
_MEMBER_TABLE = Member._meta.db_table
_SUGGESTION_TABLE = MergeSuggestion._meta.db_table


def _identity_members(community: Community, keys: Iterable[IdentityKey]) -> dict[IdentityKey, int]:
    """Stored identities among `keys`: one probe of the unique (community, channel, external_id) index per key."""
    return probe_by_key(
        table=_IDENTITY_TABLE,
        community_id=community.pk,
        key_columns=("channel", "external_id"),
        value_column="member_id",
        keys=keys,
    )


def _insert_members(community: Community, members: list[dict]) -> None:
    """INSERT the new members in one statement; each dict gets its "id" (RETURNING keeps the input order,
    as Django's own bulk_create relies on)."""
    _assign_organizations(community, members)
    now = timezone.now()
    n = len(members)
    sql = (
        f'INSERT INTO "{_MEMBER_TABLE}" (community_id, role, status, display_name, handle, email, avatar_url, '  # noqa: S608
        "bio, location, joined_at, first_seen_at, activity_count, custom_fields, emails, tags, organization_id) "
        "SELECT %s, %s, %s, d, h, e, a, '', '', %s, %s, 0, '{}'::jsonb, '{}', '{}', o "
        "FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::bigint[]) WITH ORDINALITY AS v(d, h, e, a, o, n) "
        "ORDER BY n RETURNING id"
    )
    params: list[Any] = [community.pk, str(Member._meta.get_field("role").default), str(Member._meta.get_field("status").default),
                         now, now, [m["display_name"] for m in members], [m["handle"] for m in members],
                         [m["email"] for m in members], [m["avatar_url"] for m in members],
                         [m.get("organization_id") for m in members]]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) != n:  # pragma: no cover - an INSERT without ON CONFLICT stores every row or raises
        raise RuntimeError("member insert returned fewer ids than rows")
    for member, member_id in zip(members, ids, strict=True):
        member["id"] = member_id


def _insert_identities(community: Community, infos: dict[IdentityKey, dict], members: dict) -> list[IdentityKey]:
    """INSERT the identities (ON CONFLICT DO NOTHING); return the keys a concurrent writer stored first."""
    columns: list[list[Any]] = [[] for _ in range(9)]
    for key, info in infos.items():
        email = (info.get("email") or "").strip().lower()
        values = (
            members[key], key[0], key[1], (info.get("handle") or "")[:150], (info.get("name") or "")[:150], email,
            bool(_email_of(info)), (info.get("url") or "")[:500], json.dumps(info.get("profile") or {}),
        )  # fmt: skip
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    sql = (
        f'INSERT INTO "{_IDENTITY_TABLE}" (community_id, created_at, member_id, channel, external_id, handle, '  # noqa: S608
        "name, email, email_verified, url, profile) SELECT %s, %s, * FROM unnest(%s::bigint[], %s::text[], "
        "%s::text[], %s::text[], %s::text[], %s::text[], %s::boolean[], %s::text[], %s::jsonb[]) "
        "ON CONFLICT (community_id, channel, external_id) DO NOTHING RETURNING channel, external_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [community.pk, timezone.now(), *columns])
        stored = {(channel, external_id) for channel, external_id in cursor.fetchall()}
    return [key for key in infos if key not in stored]


def _members_by_verified_email(community: Community, emails: set[str]) -> dict[str, int]:
    """Emails we hold as verified: a member's own addresses and identities whose email was vouched for.

    One statement, three index-friendly parts (an OR of `email IN` and `emails &&` could use neither index and
    scanned every member of the community): the (community, email) b-tree, the GIN index on `emails`, and the
    identities' (community, email) b-tree. A member's own address wins over an identity's, then the oldest.
    `(SELECT array)` hides the addresses from the planner: without statistics on the rarely filled `emails`
    it assumes 0.5% of members per address, so fifty addresses looked like a quarter of the community and
    it scanned them all (25 ms at 20k members) instead of probing the GIN index (< 1 ms).
    """
    if not emails:
        return {}
    wanted = sorted(emails)
    closed = [str(status) for status in CLOSED_STATUSES]
    sql = (
        f'SELECT 0, m.id, m.id, m.email, m.emails FROM "{_MEMBER_TABLE}" AS m '  # noqa: S608 (static identifiers)
        "WHERE m.community_id = %s AND m.email = ANY(%s::text[]) AND m.status <> ALL(%s::text[]) "
        f'UNION ALL SELECT 0, m.id, m.id, m.email, m.emails FROM "{_MEMBER_TABLE}" AS m '
        "WHERE m.community_id = %s AND m.emails && (SELECT %s::varchar[]) AND m.status <> ALL(%s::text[]) "
        f'UNION ALL SELECT 1, i.id, i.member_id, i.email, NULL FROM "{_IDENTITY_TABLE}" AS i '
        f'JOIN "{_MEMBER_TABLE}" AS m ON m.id = i.member_id AND m.community_id = %s '
        "WHERE i.community_id = %s AND i.email = ANY(%s::text[]) AND i.email_verified "
        "AND m.status <> ALL(%s::text[]) ORDER BY 1, 2"
    )
    params = [community.pk, wanted, closed, community.pk, wanted, closed, community.pk, community.pk, wanted, closed]
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for _rank, _order, member_id, email, extra in cursor.fetchall():
            for address in [email, *(extra or ())]:
                if address and address.lower() in emails:
                    found.setdefault(address.lower(), member_id)
    return found


def _assign_organizations(community: Community, members: list[dict]) -> None:
    domains = {m["email"].rsplit("@", 1)[1] for m in members if "@" in m["email"]}
    if not domains:
        return
    organizations = Organization.objects.for_community(community).filter(domains__overlap=list(domains))
    by_domain = {domain: org.pk for org in organizations.order_by("id") for domain in org.domains}
    for member in members:
        if "@" in member["email"]:
            member["organization_id"] = by_domain.get(member["email"].rsplit("@", 1)[1])


def suggestions_queue_for(*, community: Community, members: list[Member]) -> int:
    """Queue a merge suggestion for each other member sharing a handle or a name with one of `members`.

    At most MAX_SUGGESTIONS_PER_MEMBER each: a common name ("Alex") must not grow the queue with the community.
    """
    return _queue_suggestions(community, [(m.pk, m.handle.lower(), m.display_name.lower()) for m in members])


def _queue_suggestions(community: Community, members: list[tuple[int, str, str]]) -> int:
    """`members`: (id, lower-cased handle, lower-cased display name) of the members to find look-alikes for.

    Candidates are read per key, oldest first and at most MAX + (new members with that key) each — enough for
    every new member to find its first MAX others even when the other new members come first — so the rows
    read stay bounded by the batch, not by how common a name is in the community.
    """
    by_handle: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    for member_id, handle, name in members:
        if handle:
            by_handle[handle].append(member_id)
        if name:
            by_name[name].append(member_id)
    if not by_handle and not by_name:
        return 0
    closed = [str(status) for status in CLOSED_STATUSES]
    part = (
        "SELECT m.id, m.handle_key, m.name_key FROM unnest(%s::text[], %s::integer[]) AS k(key, n) "  # noqa: S608
        f'CROSS JOIN LATERAL (SELECT id, handle_key, name_key FROM "{_MEMBER_TABLE}" '
        "WHERE community_id = %s AND {column} = k.key AND status <> ALL(%s::text[]) ORDER BY id LIMIT k.n) AS m"
    )
    sql = f"{part.format(column='handle_key')} UNION {part.format(column='name_key')}"
    params = [
        list(by_handle), [MAX_SUGGESTIONS_PER_MEMBER + len(ids) for ids in by_handle.values()], community.pk, closed,
        list(by_name), [MAX_SUGGESTIONS_PER_MEMBER + len(ids) for ids in by_name.values()], community.pk, closed,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        candidates = sorted(cursor.fetchall())

    new_ids = {member_id for member_id, _, _ in members}
    per_member: dict[int, int] = defaultdict(int)
    suggestions: list[tuple[int, int, str]] = []
    for other_id, handle, name in candidates:
        matches = {member_id: "same_handle" for member_id in by_handle.get(handle, ())} if handle else {}
        for member_id in by_name.get(name, ()) if name else ():
            matches.setdefault(member_id, "same_name")
        for member_id, reason in matches.items():
            if other_id == member_id or (other_id in new_ids and other_id < member_id):
                continue  # among new members, suggest each pair once
            if per_member[member_id] >= MAX_SUGGESTIONS_PER_MEMBER:
                continue
            per_member[member_id] += 1
            suggestions.append((member_id, other_id, reason))
    if suggestions:
        sql = (
            f'INSERT INTO "{_SUGGESTION_TABLE}" (community_id, status, created_at, member_id, other_id, reason) '  # noqa: S608
            "SELECT %s, %s, %s, * FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) "
            "ON CONFLICT (community_id, member_id, other_id) DO NOTHING"
        )
        member_ids, other_ids, reasons = (list(column) for column in zip(*suggestions, strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                sql, [community.pk, str(SuggestionStatus.OPEN), timezone.now(), member_ids, other_ids, reasons]
            )
    return len(suggestions)
