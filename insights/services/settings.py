"""The community's insights settings: its time zone, which decides what a "day" is for every metric."""

from datetime import date

from community.models import Community
from community.policy import Actor
from community.services.communities import community_update
from community.task_queue import enqueue_on_commit

from .rollups import community_timezone, timezone_validate

# A rebuild over this range covers the whole history (and activities dated ahead); it costs what the history holds.
EPOCH, LAST_DAY = date(2000, 1, 1), date(2100, 1, 1)


def insights_timezone_set(*, community: Community, actor: Actor, timezone: str) -> Community:
    """Set the IANA time zone (admins, as any community setting); every rollup is rebuilt in the worker after
    commit, since each local day moves."""
    timezone = timezone_validate(timezone)
    if timezone == community_timezone(community):
        return community
    community = community_update(
        community=community, actor=actor, settings={**(community.settings or {}), "timezone": timezone}
    )
    enqueue_on_commit("insights.rebuild_rollups", community.pk, EPOCH.isoformat(), LAST_DAY.isoformat())
    return community
