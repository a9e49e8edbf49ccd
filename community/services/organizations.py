"""Organizations: create, edit, and attach members by email domain."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from community.errors import ServiceError
from community.models import Community, Member, Organization
from community.policy import Actor, can
from community.weburls import is_web_url


def _clean_domains(domains) -> list[str]:
    if isinstance(domains, str):
        domains = domains.replace(",", " ").split()
    return sorted({d.strip().lower().lstrip("@") for d in domains or [] if d.strip()})


def _clean_website(website) -> str:
    # The dashboard form and the API both land here, so a javascript: link cannot be stored by either path.
    website = str(website or "").strip()
    if website and not is_web_url(website):
        raise ServiceError("The website must be an http:// or https:// address.", field="website")
    return website


def organization_create(
    *, community: Community, actor: Actor, name: str, domains=(), website: str = "", description: str = ""
) -> Organization:
    """Create an organization and attach the members without one whose email is on its domains."""
    if not can(actor, "organizations.manage"):
        raise ServiceError("You may not manage organizations.", code="permission_denied")
    if not name.strip():
        raise ServiceError("Give the organization a name.", field="name")
    website = _clean_website(website)
    try:
        with transaction.atomic():
            organization = Organization.objects.create(
                community=community,
                name=name.strip(),
                domains=_clean_domains(domains),
                website=website,
                description=description,
            )
    except IntegrityError:
        raise ServiceError(f"{name} exists already.", code="conflict", field="name") from None
    organization_attach_by_domain(community=community, organization=organization)
    return organization


def organization_update(*, community: Community, actor: Actor, organization: Organization, **fields) -> Organization:
    if not can(actor, "organizations.manage"):
        raise ServiceError("You may not manage organizations.", code="permission_denied")
    unknown = set(fields) - {"name", "domains", "website", "description"}
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "domains" in fields:
        fields["domains"] = _clean_domains(fields["domains"])
    if "website" in fields:
        fields["website"] = _clean_website(fields["website"])
    for key, value in fields.items():
        setattr(organization, key, value)
    try:
        with transaction.atomic():
            organization.save(update_fields=list(fields))
    except IntegrityError:
        raise ServiceError("Another organization has this name.", code="conflict", field="name") from None
    if "domains" in fields:
        organization_attach_by_domain(community=community, organization=organization)
    return organization


def organization_attach_by_domain(*, community: Community, organization: Organization) -> int:
    """One UPDATE: members with no organization whose email is on one of its domains join it."""
    if not organization.domains:
        return 0
    match = Q()
    for domain in organization.domains:
        match |= Q(email__iendswith=f"@{domain}")
    return (
        Member.objects.for_community(community)
        .filter(match, organization__isnull=True)
        .update(organization=organization)
    )
