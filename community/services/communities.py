"""Creating and configuring communities."""

from django.db import transaction

from community.errors import ServiceError
from community.models import Community, Member, Role
from community.page_cache import public_pages_changed
from community.policy import Actor, can
from community.tenancy import community_scope

from .domains import domain_request


def community_create(*, name: str, slug: str, owner, visibility: str = "public", description: str = "") -> Community:
    """Create a community and make `owner` (a User) its owner member, in one transaction."""
    slug = slug.strip().lower()
    if Community.objects.filter(slug=slug).exists():
        raise ServiceError(f"The address /c/{slug}/ is taken.", code="conflict", field="slug")
    with transaction.atomic():
        community = Community(name=name.strip(), slug=slug, visibility=visibility, description=description)
        community.full_clean()
        community.save()
        with community_scope(community.pk):
            Member.objects.create(
                community=community,
                user=owner,
                role=Role.OWNER,
                display_name=display_name_for(owner),
                email=owner.email,
            )
    return community


def community_update(*, community: Community, actor: Actor, **fields) -> Community:
    """Change the community's name, description, visibility, domain or settings: admins and owners only."""
    if not can(actor, "community.update"):
        raise ServiceError("Only admins change the community's settings.", code="permission_denied")
    allowed = {"name", "description", "visibility", "domain", "settings"}
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    # A domain is only requested here; it is served once verified (services/domains.py).
    has_domain, domain = "domain" in fields, fields.pop("domain", None)
    for key, value in fields.items():
        setattr(community, key, value)
    community.full_clean(exclude=["domain"])
    if fields:
        community.save(update_fields=list(fields))
    if has_domain:
        domain_request(community=community, actor=actor, domain=domain)
    public_pages_changed(community.pk)
    return community


def display_name_for(user) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or (user.email.split("@")[0] if user.email else user.get_username())
