"""Members-area test data: identities, activities, an organization, a segment, a merge and a suggestion."""

from datetime import UTC, datetime, timedelta

from community.models import Member, MemberMerge, Organization, Segment
from community.services.activities import activity_ingest
from community.services.identities import suggestions_queue_for


def activity_items(n: int, *, channel: str = "github", people: int = 3, source: str | None = None, start: int = 0):
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        {
            "source": source or channel,
            "external_id": f"{channel}-{i}",
            "kind": "comment",
            "occurred_at": (t0 + timedelta(hours=i)).isoformat(),
            "title": f"Activity {i}",
            "body": "text",
            "identity": {
                "channel": channel,
                "external_id": f"{channel}-person-{i % people}",
                "handle": f"p{i % people}",
            },
        }
        for i in range(start, start + n)
    ]


def populate_members(community, owner_user) -> None:
    """Called inside the community's scope (cross-tenant fixture): one of each members-area object."""
    organization = Organization.objects.create(community=community, name="Sentinel Bravo Org", domains=["bravo.test"])
    activity_ingest(community=community, items=activity_items(4, channel="github", people=2))
    activity_ingest(community=community, items=activity_items(2, channel="discord", people=2))
    Segment.objects.create(community=community, name="Bravo segment", filters={"tag": "vip"})
    people = list(Member.objects.for_community(community).filter(user__isnull=True).order_by("id")[:3])
    people[0].organization = organization
    people[0].save(update_fields=["organization"])
    suggestions_queue_for(community=community, members=people[:2])
    MemberMerge.objects.create(community=community, target=people[0], source=people[1], source_state={})
