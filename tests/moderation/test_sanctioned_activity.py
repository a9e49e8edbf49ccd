"""A sanctioned member's activity elsewhere is still recorded, marked and put before a moderator (issue 15)."""

from community.models import Activity, Member, MemberStatus
from community.policy import SILENCED_TAG
from community.services.activities import activity_record
from community.tenancy import community_scope
from moderation.models import QueueItem
from moderation.services.screening import activities_screen
from tests.moderation.test_screening import HAM, T0, _member


def test_suspended_banned_and_silenced_authors_are_recorded_flagged_and_queued(world):
    with community_scope(world.a.pk):
        authors = [_member(world.a, name, days=90, activities=60) for name in ("Sus", "Ban", "Shh", "Fine")]
        Member.objects.filter(pk=authors[0].pk).update(status=MemberStatus.SUSPENDED)
        Member.objects.filter(pk=authors[1].pk).update(status=MemberStatus.BANNED)
        Member.objects.filter(pk=authors[2].pk).update(tags=[SILENCED_TAG])
        ids = [
            activity_record(community=world.a, member=m, kind="message", source="discord", external_id=f"s{n}",
                            occurred_at=T0, body=HAM, channel="discord").pk
            for n, m in enumerate(authors)
        ]  # fmt: skip
        activities_screen(community=world.a, activity_ids=ids)
        rows = [Activity.objects.get(pk=pk) for pk in ids]
        queued = set(QueueItem.objects.for_community(world.a).values_list("subject_id", flat=True))
    assert [r.moderation_status for r in rows] == ["flagged", "flagged", "flagged", "published"]
    assert [r for r in rows[0].moderation_reasons if "author is" in r] == ["author is suspended"]
    assert "author is banned" in rows[1].moderation_reasons and "author is silenced" in rows[2].moderation_reasons
    assert queued == set(ids[:3])
