"""Trust levels 0 to 4 (after Discourse): earned from activity on every channel, lowered by upheld flags, recomputed
for a whole community in one statement by beat, lockable by staff; and a member's level when they post.

Earned from: days with any activity (forum or channel), replies (forum replies and channel comments, messages,
reviews), reactions received (a reaction activity on one of the member's activities, any channel), accepted answers.
Each item decided against the member in the last 180 days (hidden or removed from the review queue) costs a level.
"Posts read" is not tracked by Hearth, so it is not a requirement.
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Member
from community.policy import Actor, can

from ..models import MemberTrust
from .log import actor_label, log_record

LEVELS = (0, 1, 2, 3, 4)
# level: (days active, replies, reactions received, accepted answers), all needed
REQUIREMENTS = {1: (2, 1, 0, 0), 2: (10, 3, 1, 0), 3: (50, 10, 10, 0), 4: (100, 30, 30, 3)}
REPLY_KINDS = ["reply", "comment", "message", "review"]
UPHELD_DAYS = 180


def _earned_sql() -> str:
    cases = " ".join(
        f"WHEN s.days >= {d} AND s.replies >= {r} AND s.reactions >= {x} AND s.answers >= {a} THEN {level}"
        for level, (d, r, x, a) in sorted(REQUIREMENTS.items(), reverse=True)
    )
    return f"CASE {cases} ELSE 0 END"


# Every member of the community in one INSERT … SELECT … ON CONFLICT: the aggregates are grouped once each over the
# (community, …) indexes, so the statement count does not grow with members; locked rows are left as they are.
COMPUTE_SQL = """
WITH acts AS (
    SELECT member_id, count(DISTINCT (occurred_at AT TIME ZONE 'UTC')::date) AS days,
           count(*) FILTER (WHERE kind = ANY(%(reply_kinds)s)) AS replies,
           count(*) FILTER (WHERE kind = 'accepted_answer') AS answers
    FROM community_activity WHERE community_id = %(community)s AND member_id IS NOT NULL
      AND (%(member)s::bigint IS NULL OR member_id = %(member)s) GROUP BY member_id
), reactions AS (
    SELECT p.member_id, count(*) AS reactions
    FROM community_activity r
    JOIN community_activity p ON p.community_id = r.community_id AND p.source = r.source
                             AND p.external_id = r.parent_external_id
    WHERE r.community_id = %(community)s AND r.kind = 'reaction' AND p.member_id IS NOT NULL
      AND r.member_id IS DISTINCT FROM p.member_id
    GROUP BY p.member_id
), upheld AS (
    SELECT author_id AS member_id, count(*) AS upheld FROM moderation_queueitem
    WHERE community_id = %(community)s AND status IN ('hidden', 'rejected') AND resolved_at >= %(since)s
      AND author_id IS NOT NULL
    GROUP BY author_id
), s AS (
    SELECT m.id AS member_id, coalesce(a.days, 0) AS days, coalesce(a.replies, 0) AS replies,
           coalesce(x.reactions, 0) AS reactions, coalesce(a.answers, 0) AS answers, coalesce(u.upheld, 0) AS upheld
    FROM community_member m
    LEFT JOIN acts a ON a.member_id = m.id LEFT JOIN reactions x ON x.member_id = m.id
    LEFT JOIN upheld u ON u.member_id = m.id
    WHERE m.community_id = %(community)s AND m.merged_into_id IS NULL
      AND (%(member)s::bigint IS NULL OR m.id = %(member)s)
)
INSERT INTO moderation_membertrust (community_id, member_id, level, locked, locked_by_label, stats, computed_at)
SELECT %(community)s, s.member_id, greatest(0, EARNED - s.upheld), false, '',
       jsonb_build_object('days_active', s.days, 'replies', s.replies, 'reactions_received', s.reactions,
                          'accepted_answers', s.answers, 'upheld_flags', s.upheld), %(now)s
FROM s
ON CONFLICT (community_id, member_id) DO UPDATE SET level = EXCLUDED.level, stats = EXCLUDED.stats, computed_at = EXCLUDED.computed_at
WHERE NOT moderation_membertrust.locked
RETURNING level
""".replace("EARNED", _earned_sql())  # constants only: REQUIREMENTS


def _compute(community: Community, member_id: int | None) -> list[int]:
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(COMPUTE_SQL, {
            "community": community.pk, "member": member_id, "reply_kinds": REPLY_KINDS, "now": now,
            "since": now - timedelta(days=UPHELD_DAYS),
        })  # fmt: skip
        return [level for (level,) in cursor.fetchall()]


def trust_levels_compute(*, community: Community) -> int:
    """Recompute every unlocked member's level in one statement; the number of rows written."""
    return len(_compute(community, None))


def trust_level_of(*, community: Community, member: Member) -> int:
    """One query; a member the hourly computation has not seen yet is computed now, alone (one more statement), so
    a newcomer starts at 0 and a member with history elsewhere starts where that history puts them."""
    level = MemberTrust.objects.for_community(community).filter(member=member).values_list("level", flat=True).first()
    if level is None:
        level = next(iter(_compute(community, member.pk)), 0)
    return level


def trust_get(*, community: Community, member: Member) -> MemberTrust:
    """The member's row, unsaved (level 0, unlocked) when the computation has not seen them yet."""
    trust = MemberTrust.objects.for_community(community).filter(member=member).first()
    return trust or MemberTrust(community=community, member=member, level=0)


def trust_lock(*, community: Community, actor: Actor, member: Member, level: int | None, locked: bool) -> MemberTrust:
    """Set and lock a member's level (the beat then leaves it), or unlock it (the next computation decides)."""
    if not can(actor, "moderation.sanction"):
        raise ServiceError("Your role or key scopes do not allow changing trust levels.", code="permission_denied")
    trust = trust_get(community=community, member=member)
    before = {"level": trust.level, "locked": trust.locked}
    if locked:
        try:
            level = int(level)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ServiceError("level: a whole number from 0 to 4.", field="level") from None
        if level not in LEVELS:
            raise ServiceError("level: a whole number from 0 to 4.", field="level")
        trust.level, trust.locked, trust.locked_by_label = level, True, actor_label(actor)
    else:
        trust.locked, trust.locked_by_label = False, ""
    trust.save()
    log_record(
        community=community, actor=actor, action="trust.lock" if locked else "trust.unlock",
        target_member_id=member.pk, before=before, after={"level": trust.level, "locked": trust.locked},
    )  # fmt: skip
    return trust
