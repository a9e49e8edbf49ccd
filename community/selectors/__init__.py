"""Reads of the community core. Checked fetches raise 404 alike for missing and forbidden."""

import logging

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404

from community.models import ApiKey, Community, Invitation, Member, MemberStatus
from community.tenancy.scope import unscoped


def community_find_by_slug(slug: str) -> Community | None:
    return Community.objects.filter(slug=slug).first()


def community_get_by_slug(slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise Http404("No such community.") from None


DOMAIN_CACHE_SECONDS = 300


def domain_cache_key(domain: str) -> str:
    return f"community:domain:{domain.lower()}"


def community_slug_for_domain(domain: str) -> str | None:
    """The slug served on a verified custom domain, cached (every request on such a host asks; the answer rarely changes).

    community_update forgets the old and new domains' entries when a domain changes.
    """
    slug = cache.get_or_set(
        domain_cache_key(domain),
        lambda: (
            Community.objects.filter(domain=domain.lower(), domain_verified_at__isnull=False)
            .values_list("slug", flat=True)
            .first()
            or ""
        ),
        DOMAIN_CACHE_SECONDS,
    )
    return slug or None


def member_for_user(*, community: Community, user) -> Member | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.for_community(community).filter(user=user).first()


def member_list(*, community: Community) -> QuerySet[Member]:
    return Member.objects.for_community(community).select_related("user").order_by("-joined_at", "-id")


def access_member(*, community: Community, member_id: int) -> Member:
    member = Member.objects.for_community(community).filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    return member


def staff_emails(*, community: Community, roles: tuple[str, ...]) -> list[str]:
    """Addresses of the active members with a login and one of `roles` (for operational alerts)."""
    return list(
        Member.objects.for_community(community)
        .filter(role__in=roles, status=MemberStatus.ACTIVE, user__isnull=False)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )


def communities_of_user(user) -> list[tuple[Community, Member]]:
    """The signed-in user's own memberships, across communities: by nature a cross-tenant read."""
    with unscoped("the signed-in user's own memberships", level=logging.DEBUG):
        members = list(
            Member.objects.filter(user=user)
            .exclude(status__in=[MemberStatus.LEFT, MemberStatus.ERASED])
            .select_related("community")
            .order_by("community__name")
        )
    return [(m.community, m) for m in members]


def public_communities(limit: int = 50) -> QuerySet[Community]:
    return Community.objects.filter(visibility="public").order_by("name")[:limit]


def invitation_list(*, community: Community) -> QuerySet[Invitation]:
    return (
        Invitation.objects.for_community(community)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def api_key_list(*, community: Community) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_community(community).order_by("-created_at")


def api_key_by_prefix(prefix: str) -> ApiKey | None:
    """Authentication happens before a community is known: the one lookup that must cross tenants."""
    with unscoped("api key authentication", level=logging.DEBUG):
        return ApiKey.objects.select_related("community").filter(prefix=prefix).first()
