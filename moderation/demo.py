"""Moderation's part of `manage.py seed_demo`: the demo's people are an established community, not newcomers.

It runs before the forum's seed (demo_seed_order): at trust level 0 a member's first posts wait for review, and the
demo forum's replies answer topics its members posted a moment before.
"""

from community.models import Community, Member

from .models import MemberTrust
from .services.trust import trust_levels_compute

DEMO_LEVEL = 2


def establish_members(community: Community, members: dict[str, Member]) -> None:
    trust_levels_compute(community=community)  # from the channel activity the core's seed gave them
    MemberTrust.objects.for_community(community).filter(member__in=members.values(), level__lt=DEMO_LEVEL).update(
        level=DEMO_LEVEL
    )
    known = set(MemberTrust.objects.for_community(community).values_list("member_id", flat=True))
    MemberTrust.objects.bulk_create(
        [MemberTrust(community=community, member=m, level=DEMO_LEVEL) for m in members.values() if m.pk not in known]
    )
