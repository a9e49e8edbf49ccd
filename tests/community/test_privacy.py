"""GDPR export and erase: everything held comes out; erase anonymizes, keeps activities, deletes identities."""

from datetime import UTC, datetime

import pytest

from community.errors import ServiceError
from community.models import Activity, AuditEntry, Identity, Member, MemberStatus, StaffNote
from community.policy import Actor
from community.services.activities import activity_ingest
from community.services.privacy import member_erase, member_export
from community.services.profiles import staff_note_add
from community.tenancy import community_scope
from tests.factories import owner_of


def _seed(world):
    items = [
        {
            "source": "github",
            "external_id": f"e{i}",
            "kind": "comment",
            "occurred_at": datetime(2026, 3, 1 + i, tzinfo=UTC).isoformat(),
            "body": "hello",
            "identity": {"channel": "github", "external_id": "99", "handle": "pat", "email": "pat@corp.test"},
        }
        for i in range(3)
    ]
    activity_ingest(community=world.a, items=items)
    return Identity.objects.for_community(world.a).get(external_id="99").member


def _owner(world):
    owner = owner_of(world.a)
    return Actor(community=world.a, user_id=owner.user_id, member=owner)


def test_export_holds_profile_identities_activities_and_notes(world):
    with community_scope(world.a.pk):
        pat = _seed(world)
        staff_note_add(community=world.a, actor=_owner(world), member=pat, body="Met at the meetup")
        data = member_export(community=world.a, actor=_owner(world), member=pat)
        assert data["member"]["email"] == "pat@corp.test"
        assert [i["handle"] for i in data["identities"]] == ["pat"]
        assert len(data["activities"]) == 3
        assert data["staff_notes"][0]["body"] == "Met at the meetup"
        assert AuditEntry.objects.for_community(world.a).get().action == "member.export"


def test_erase_anonymizes_keeps_activities_and_deletes_identities(world):
    with community_scope(world.a.pk):
        pat = _seed(world)
        staff_note_add(community=world.a, actor=_owner(world), member=pat, body="private")
        erased = member_erase(community=world.a, actor=_owner(world), member=pat)
        assert erased.status == MemberStatus.ERASED
        assert (erased.display_name, erased.email, erased.handle) == ("Erased member", "", "")
        assert Activity.objects.for_community(world.a).filter(member__isnull=True).count() == 3
        assert not Identity.objects.for_community(world.a).filter(external_id="99").exists()
        assert not StaffNote.objects.for_community(world.a).exists()
        entry = AuditEntry.objects.for_community(world.a).get(action="member.erase")
        assert entry.details["activities_anonymized"] == 3
        assert "pat" not in str(entry.details)

        # The person appears again: a new member, not the erased one.
        _seed_again = activity_ingest(
            community=world.a,
            items=[
                {
                    "source": "github",
                    "external_id": "e-new",
                    "kind": "comment",
                    "occurred_at": "2026-04-01T00:00:00Z",
                    "identity": {"channel": "github", "external_id": "99", "handle": "pat", "email": "pat@corp.test"},
                }
            ],
        )
        again = Activity.objects.get(pk=_seed_again[0]["id"]).member
        assert again.pk != pat.pk and again.status == MemberStatus.ACTIVE


def test_a_moderator_cannot_export_or_erase(world):
    with community_scope(world.a.pk):
        pat = _seed(world)
        Member.objects.filter(pk=world.bob_member.pk).update(role="moderator")
        world.bob_member.refresh_from_db()
        moderator = Actor(community=world.a, user_id=world.bob.pk, member=world.bob_member)
        for service in (member_export, member_erase):
            with pytest.raises(ServiceError):
                service(community=world.a, actor=moderator, member=pat)
        assert Identity.objects.for_community(world.a).filter(external_id="99").exists()
        assert not AuditEntry.objects.for_community(world.a).exists()
