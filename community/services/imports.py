"""CSV import of members: a dry run shows what would happen row by row; the real run writes it in bulk.

Columns (header row, case-insensitive): name (or display_name), email, handle, location, bio, tags
(separated by ';' or ','), organization (by name; created when missing), and any custom field key.
A row whose email matches a member updates that member (empty cells leave fields alone); otherwise it creates one.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, CustomField, Member, MemberStatus, Organization
from community.policy import Actor, can

from .profiles import clean_tags, custom_values_clean

MAX_ROWS = 5000
BASE_COLUMNS = {"name", "display_name", "email", "handle", "location", "bio", "tags", "organization"}


@dataclass
class ImportRow:
    line: int
    action: str  # "create" | "update" | "error"
    name: str = ""
    email: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow]
    dry_run: bool
    new_organizations: list[str]

    @property
    def created(self) -> int:
        return sum(r.action == "create" for r in self.rows)

    @property
    def updated(self) -> int:
        return sum(r.action == "update" for r in self.rows)

    @property
    def errors(self) -> int:
        return sum(r.action == "error" for r in self.rows)


def member_import(*, community: Community, actor: Actor, csv_text: str, dry_run: bool = True) -> ImportReport:
    if not can(actor, "members.import"):
        raise ServiceError("You may not import members.", code="permission_denied")
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    if not reader.fieldnames:
        raise ServiceError("The file is empty or has no header row.", field="file")
    headers = {h: (h or "").strip().lower() for h in reader.fieldnames}
    custom_keys = set(CustomField.objects.for_community(community).values_list("key", flat=True))
    unknown = set(headers.values()) - BASE_COLUMNS - custom_keys
    if unknown:
        raise ServiceError(f"Unknown columns: {', '.join(sorted(unknown))}.", field="file")
    raw_rows = []
    for line, raw in enumerate(reader, start=2):
        if len(raw_rows) >= MAX_ROWS:
            raise ServiceError(f"Import at most {MAX_ROWS} rows at once.", field="file")
        raw_rows.append((line, {headers[k]: (v or "").strip() for k, v in raw.items() if k in headers}))

    emails = {row.get("email", "").lower() for _, row in raw_rows} - {""}
    existing: dict[str, Member] = {}
    if emails:
        for member in (
            Member.objects.for_community(community)
            .exclude(status__in=[MemberStatus.MERGED, MemberStatus.ERASED])
            .filter(Q(email__in=emails) | Q(emails__overlap=list(emails)))
            .order_by("id")
        ):
            for address in [member.email, *member.emails]:
                existing.setdefault(address.lower(), member)
    org_names = {row.get("organization", "") for _, row in raw_rows} - {""}
    organizations = {
        o.name.lower(): o for o in Organization.objects.for_community(community).filter(name__in=org_names)
    }
    new_org_names = sorted({n for n in org_names if n.lower() not in organizations}, key=str.lower)

    report_rows: list[ImportRow] = []
    to_create: list[tuple[Member, str]] = []
    to_update: dict[int, tuple[Member, str]] = {}
    seen_emails: set[str] = set()
    for line, row in raw_rows:
        name = row.get("name") or row.get("display_name") or ""
        email = row.get("email", "").lower()
        result = ImportRow(line=line, action="create", name=name, email=email)
        report_rows.append(result)
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.errors.append(f"{email!r} is not a valid email address.")
            if email in seen_emails:
                result.errors.append("This email appears on an earlier row.")
            seen_emails.add(email)
        member = existing.get(email) if email else None
        if member is None and not name:
            result.errors.append("A new member needs a name.")
        custom = {k: v for k, v in row.items() if k in custom_keys and v}
        try:
            custom = custom_values_clean(community=community, values=custom) if custom else {}
        except ServiceError as error:
            result.errors.append(error.message)
        if len(row.get("handle", "")) > 80:
            result.errors.append("The handle is longer than 80 characters.")
        if result.errors:
            result.action = "error"
            continue
        if member is None:
            member = Member(community=community, email=email, first_seen_at=timezone.now())
            to_create.append((member, row.get("organization", "")))
        else:
            result.action = "update"
            to_update[member.pk] = (member, row.get("organization", ""))
        if name:
            member.display_name = name[:150]
        for column in ("handle", "location", "bio"):
            if row.get(column):
                setattr(member, column, row[column])
        if row.get("tags"):
            member.tags = sorted(set(member.tags) | set(clean_tags(row["tags"])))
        if custom:
            member.custom_fields = {**member.custom_fields, **custom}

    report = ImportReport(rows=report_rows, dry_run=dry_run, new_organizations=new_org_names)
    if dry_run:
        return report
    with transaction.atomic():
        created_orgs = Organization.objects.bulk_create(
            [Organization(community=community, name=n) for n in new_org_names]
        )
        organizations.update({o.name.lower(): o for o in created_orgs})
        for member, org_name in [*to_create, *to_update.values()]:
            if org_name:
                member.organization = organizations[org_name.lower()]
        Member.objects.bulk_create([m for m, _ in to_create])
        Member.objects.bulk_update(
            [m for m, _ in to_update.values()],
            ["display_name", "handle", "location", "bio", "tags", "custom_fields", "organization"],
        )
    return report
