"""Member profiles as staff keep them: tags (in bulk), organization, custom field values, private notes."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import connection

from community.errors import ServiceError
from community.models import Community, CustomField, CustomFieldKind, Member, Organization, Role, StaffNote
from community.page_cache import public_pages_changed
from community.policy import RANK, Actor, can, can_act_on

from .audit import audit_record

PROFILE_FIELDS = {"display_name", "handle", "email", "emails", "avatar_url", "bio", "location", "tags", "organization"}


def clean_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.replace(";", ",").split(",")
    return sorted({t.strip().lower()[:60] for t in tags or [] if t and t.strip()})


def member_profile_update(*, community: Community, actor: Actor, member: Member, **fields) -> Member:
    """Staff edit of profile fields and custom field values (`custom_fields` merges into the stored values)."""
    if not can(actor, "members.update"):
        raise ServiceError("You may not change members.", code="permission_denied")
    is_self = actor.member is not None and actor.member.pk == member.pk
    if not is_self and not can_act_on(actor, member):
        raise ServiceError("You may not edit someone of your rank or higher.", code="permission_denied")
    changes_email = ("email" in fields and fields["email"] != member.email) or (
        "emails" in fields and fields["emails"] != member.emails
    )
    if changes_email and not (actor.api_key is None and actor.rank >= RANK[Role.ADMIN]):
        # An email decides who may claim the member by login: staff changes of it are admin-only, and audited.
        raise ServiceError("Only admins change a member's email addresses.", code="permission_denied", field="email")
    custom = fields.pop("custom_fields", None)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "tags" in fields:
        fields["tags"] = clean_tags(fields["tags"])
    if "emails" in fields:
        fields["emails"] = sorted({e.strip().lower() for e in fields["emails"] if e.strip()})
    if "organization" in fields:
        organization = fields.pop("organization")
        organization_id = getattr(organization, "pk", organization) or None
        if organization_id and not Organization.objects.for_community(community).filter(pk=organization_id).exists():
            raise ServiceError("No such organization.", field="organization")
        fields["organization_id"] = organization_id
    if custom is not None:
        fields["custom_fields"] = {**member.custom_fields, **custom_values_clean(community=community, values=custom)}
    for key, value in fields.items():
        setattr(member, key, value)
    member.full_clean(exclude=["community", "user", "organization", "merged_into"])
    member.save(update_fields=[f.removesuffix("_id") if f == "organization_id" else f for f in fields])
    public_pages_changed(community.pk)  # names and avatars show on public forum pages
    if changes_email:
        audit_record(community=community, actor=actor, action="member.email_change", member_id=member.pk)
    return member


def custom_values_clean(*, community: Community, values: dict) -> dict:
    """Check values against the community's custom fields; '' or None clears a value."""
    definitions = {f.key: f for f in CustomField.objects.for_community(community)}
    cleaned: dict = {}
    for key, value in values.items():
        field = definitions.get(key)
        if field is None:
            raise ServiceError(f"Unknown custom field {key!r}.", field="custom_fields")
        if value in (None, ""):
            cleaned[key] = None
            continue
        value = str(value).strip()
        try:
            if field.kind == CustomFieldKind.NUMBER:
                Decimal(value)
            elif field.kind == CustomFieldKind.DATE:
                date.fromisoformat(value)
            elif field.kind == CustomFieldKind.CHOICE and value not in field.choices:
                raise ValueError
        except (InvalidOperation, ValueError):
            raise ServiceError(
                f"{field.label}: {value!r} is not a valid {field.kind}.", field="custom_fields"
            ) from None
        cleaned[key] = value
    return cleaned


def custom_field_create(
    *, community: Community, actor: Actor, key: str, label: str, kind: str = "text", choices=()
) -> CustomField:
    if not can(actor, "community.update"):
        raise ServiceError("Only admins define custom fields.", code="permission_denied")
    if kind not in CustomFieldKind.values:
        raise ServiceError(f"Unknown kind {kind!r}.", field="kind")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,59}", key or ""):
        raise ServiceError("The key uses lowercase letters, digits, - and _.", field="key")
    if not label:
        raise ServiceError("Give the field a label.", field="label")
    choices = [c.strip() for c in choices if c.strip()]
    if kind == CustomFieldKind.CHOICE and not choices:
        raise ServiceError("A choice field needs choices.", field="choices")
    if CustomField.objects.for_community(community).filter(key=key).exists():
        raise ServiceError(f"A field {key!r} exists.", code="conflict", field="key")
    return CustomField.objects.create(
        community=community, key=key, label=label[:120], kind=kind, choices=choices if kind == "choice" else []
    )


def member_tags_add(*, community: Community, actor: Actor, member_ids: list[int], tags) -> int:
    """Add tags to many members in one UPDATE; returns how many members changed."""
    return _tags_change(community, actor, member_ids, clean_tags(tags), add=True)


def member_tags_remove(*, community: Community, actor: Actor, member_ids: list[int], tags) -> int:
    return _tags_change(community, actor, member_ids, clean_tags(tags), add=False)


def _tags_change(community: Community, actor: Actor, member_ids: list[int], tags: list[str], *, add: bool) -> int:
    if not can(actor, "members.update"):
        raise ServiceError("You may not change members.", code="permission_denied")
    if not tags:
        raise ServiceError("Name at least one tag.", field="tags")
    if not member_ids:
        return 0
    if add:
        expression = "ARRAY(SELECT DISTINCT t FROM unnest(tags || %s::varchar[]) AS t ORDER BY t)"
    else:
        expression = "ARRAY(SELECT t FROM unnest(tags) AS t WHERE NOT t = ANY(%s::varchar[]) ORDER BY t)"
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{Member._meta.db_table}" SET tags = {expression} WHERE community_id = %s AND id = ANY(%s)',  # noqa: S608
            [tags, community.pk, [int(i) for i in member_ids]],
        )
        return cursor.rowcount


def staff_note_add(*, community: Community, actor: Actor, member: Member, body: str) -> StaffNote:
    if not can(actor, "members.notes"):
        raise ServiceError("Only staff keep notes.", code="permission_denied")
    if not body.strip():
        raise ServiceError("Write the note first.", field="body")
    return StaffNote.objects.create(community=community, member=member, author_id=actor.user_id, body=body.strip())


def staff_note_delete(*, community: Community, actor: Actor, note: StaffNote) -> None:
    if not can(actor, "members.notes"):
        raise ServiceError("Only staff keep notes.", code="permission_denied")
    note.delete()
