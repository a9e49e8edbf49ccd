"""Identity resolution: which member is this (channel, external id)? Exact identity, then verified email, else new.

Same handle or name on another channel only queues a merge suggestion; it never merges by itself.
Every function here costs a constant number of queries for a whole batch.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from community.models import Community, Identity, Member, MemberStatus, MergeSuggestion, Organization

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
    resolved: dict[IdentityKey, int] = {}
    for channel, external_id, member_id in (
        Identity.objects.for_community(community)
        .filter(channel__in={k[0] for k in infos}, external_id__in={k[1] for k in infos})
        .values_list("channel", "external_id", "member_id")
    ):
        if (channel, external_id) in infos:
            resolved[(channel, external_id)] = member_id
    pending = [key for key in infos if key not in resolved]
    if not pending:
        return resolved

    by_email = _members_by_verified_email(community, {_email_of(infos[key]) for key in pending} - {""})
    new_members: dict[str, Member] = {}  # grouping key ("email:…" or "identity:…") -> unsaved member
    member_of_key: dict[IdentityKey, int | str] = {}
    for key in pending:
        info = infos[key]
        email = _email_of(info)
        if email and email in by_email:
            member_of_key[key] = by_email[email]
            continue
        group = f"email:{email}" if email else f"identity:{key[0]}:{key[1]}"
        if group not in new_members:
            new_members[group] = Member(
                community=community,
                display_name=(info.get("name") or info.get("handle") or f"{key[0]} {key[1]}")[:150],
                handle=(info.get("handle") or "")[:80],
                email=email,
                avatar_url=(info.get("avatar_url") or "")[:200],
                first_seen_at=timezone.now(),
            )
        member_of_key[key] = group

    if new_members:
        _assign_organizations(community, list(new_members.values()))
        Member.objects.bulk_create(list(new_members.values()))
    for key, target in member_of_key.items():
        resolved[key] = new_members[target].pk if isinstance(target, str) else target

    Identity.objects.bulk_create(
        [
            Identity(
                community=community,
                member_id=resolved[key],
                channel=key[0],
                external_id=key[1],
                handle=(infos[key].get("handle") or "")[:150],
                name=(infos[key].get("name") or "")[:150],
                email=(infos[key].get("email") or "").strip().lower(),
                email_verified=bool(_email_of(infos[key])),
                url=(infos[key].get("url") or "")[:500],
                profile=infos[key].get("profile") or {},
            )
            for key in pending
        ],
        ignore_conflicts=True,  # a concurrent ingest may have stored one first: its member wins, below
    )
    # Read back what is stored: where a concurrent writer won the race, follow its member, not ours.
    for channel, external_id, member_id in (
        Identity.objects.for_community(community)
        .filter(channel__in={k[0] for k in pending}, external_id__in={k[1] for k in pending})
        .values_list("channel", "external_id", "member_id")
    ):
        if (channel, external_id) in resolved:
            resolved[(channel, external_id)] = member_id
    if new_members:
        suggestions_queue_for(community=community, members=list(new_members.values()))
    return resolved


MAX_SUGGESTIONS_PER_MEMBER = 5


def _members_by_verified_email(community: Community, emails: set[str]) -> dict[str, int]:
    """Emails we hold as verified: a member's own addresses and identities whose email was vouched for."""
    if not emails:
        return {}
    found: dict[str, int] = {}
    members = (
        Member.objects.for_community(community)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(Q(email__in=emails) | Q(emails__overlap=list(emails)))
        .order_by("id")
        .values_list("id", "email", "emails")
    )
    for member_id, email, extra in members:
        for address in [email, *extra]:
            if address and address.lower() in emails:
                found.setdefault(address.lower(), member_id)
    for email, member_id in (
        Identity.objects.for_community(community)
        .filter(email__in=emails, email_verified=True)
        .exclude(member__status__in=CLOSED_STATUSES)
        .order_by("id")
        .values_list("email", "member_id")
    ):
        found.setdefault(email, member_id)
    return found


def _assign_organizations(community: Community, members: list[Member]) -> None:
    domains = {m.email.rsplit("@", 1)[1] for m in members if "@" in m.email}
    if not domains:
        return
    organizations = Organization.objects.for_community(community).filter(domains__overlap=list(domains))
    by_domain = {domain: org.pk for org in organizations.order_by("id") for domain in org.domains}
    for member in members:
        if "@" in member.email:
            member.organization_id = by_domain.get(member.email.rsplit("@", 1)[1])


def suggestions_queue_for(*, community: Community, members: list[Member]) -> int:
    """Queue a merge suggestion for each other member sharing a handle or a name with one of `members`.

    At most MAX_SUGGESTIONS_PER_MEMBER each: a common name ("Alex") must not grow the queue with the community.
    """
    by_handle: dict[str, list[Member]] = defaultdict(list)
    by_name: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        if member.handle:
            by_handle[member.handle.lower()].append(member)
        if member.display_name:
            by_name[member.display_name.lower()].append(member)
    if not by_handle and not by_name:
        return 0
    ids = {m.pk for m in members}
    candidates = (
        Member.objects.for_community(community)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(Q(handle_key__in=list(by_handle)) | Q(name_key__in=list(by_name)))
        .order_by("id")
        .values_list("id", "handle_key", "name_key")
    )
    suggestions = []
    per_member: dict[int, int] = defaultdict(int)
    for other_id, handle, name in candidates:
        matches = {m.pk: (m, "same_handle") for m in by_handle.get(handle, ())}
        for member in by_name.get(name, ()):
            matches.setdefault(member.pk, (member, "same_name"))
        for member, reason in matches.values():
            if other_id == member.pk or (other_id in ids and other_id < member.pk):
                continue  # among new members, suggest each pair once
            if per_member[member.pk] >= MAX_SUGGESTIONS_PER_MEMBER:
                continue
            per_member[member.pk] += 1
            suggestions.append(MergeSuggestion(community=community, member=member, other_id=other_id, reason=reason))
    MergeSuggestion.objects.bulk_create(suggestions, ignore_conflicts=True)
    return len(suggestions)
