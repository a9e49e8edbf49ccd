"""Public share links of the insights dashboard: create (signed, expiring) and revoke; one check opens them."""

from datetime import timedelta

from django.core import signing
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community
from community.policy import Actor, can
from insights.models import DashboardShare

MAX_DAYS_VALID = 90
FILTER_KEYS = ("days", "start", "end", "channel", "segment", "include_staff", "include_bots")


def _salt(community_id: int) -> str:
    # The community in the salt: a link signed for one community never opens another's share of the same id.
    return f"insights.share.{community_id}"


def share_token(share: DashboardShare) -> str:
    """The link's secret part: the row id signed with SECRET_KEY; derivable again, so the page can list links."""
    return signing.dumps(share.pk, salt=_salt(share.community_id))


def share_create(
    *, community: Community, actor: Actor, filters: dict, days_valid: int, label: str = ""
) -> DashboardShare:
    """A read-only public view of the dashboard with these filters, open for `days_valid` days (1 … 90)."""
    if not can(actor, "insights.share"):
        raise ServiceError("Only managers share the insights dashboard.", code="permission_denied")
    if not 1 <= days_valid <= MAX_DAYS_VALID:
        raise ServiceError(f"A link lasts 1 to {MAX_DAYS_VALID} days.", field="days_valid")
    kept = {key: str(filters[key])[:40] for key in FILTER_KEYS if filters.get(key)}
    return DashboardShare.objects.create(
        community=community, label=label[:120], filters=kept,
        created_by_member_id=actor.member.pk if actor.member else None,
        expires_at=timezone.now() + timedelta(days=days_valid),
    )  # fmt: skip


def share_revoke(*, community: Community, actor: Actor, share: DashboardShare) -> DashboardShare:
    if not can(actor, "insights.share"):
        raise ServiceError("Only managers revoke shared links.", code="permission_denied")
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def share_open(*, community: Community, token: str) -> DashboardShare | None:
    """The share a link names, if its signature is good and it is neither revoked nor expired; else None (the page
    answers 404 alike for a forged, revoked or expired link)."""
    try:
        share_id = signing.loads(token, salt=_salt(community.pk))
    except signing.BadSignature:
        return None
    if not isinstance(share_id, int):
        return None
    return (
        DashboardShare.objects.for_community(community)
        .filter(pk=share_id, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
