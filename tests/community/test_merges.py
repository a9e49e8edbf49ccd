"""Manual merge and unmerge: identities and activities move, and an unmerge moves exactly them back."""

from datetime import UTC, datetime

import pytest

from community.errors import ServiceError
from community.models import Activity, AuditEntry, Identity, Member, MemberStatus, MergeSuggestion, SuggestionStatus
from community.policy import Actor
from community.services.activities import activity_ingest
from community.services.merges import member_merge, member_unmerge, suggestion_accept
from community.tenancy import community_scope
from tests.factories import owner_of


def _ingest(world, channel, external_id, handle, n):
    items = [
        {
            "source": channel,
            "external_id": f"{channel}-{external_id}-{i}",
            "kind": "message",
            "occurred_at": datetime(2026, 2, 1 + i, tzinfo=UTC).isoformat(),
            "identity": {"channel": channel, "external_id": external_id, "handle": handle},
        }
        for i in range(n)
    ]
    activity_ingest(community=world.a, items=items)
    return Identity.objects.for_community(world.a).get(channel=channel, external_id=external_id).member


def _owner(world):
    owner = owner_of(world.a)
    return Actor(community=world.a, user_id=owner.user_id, member=owner)


def test_merge_then_unmerge_round_trips(world):
    with community_scope(world.a.pk):
        github = _ingest(world, "github", "1", "sam", 3)
        discord = _ingest(world, "discord", "2", "sam", 2)
        assert MergeSuggestion.objects.for_community(world.a).filter(status=SuggestionStatus.OPEN).count() == 1
        merge = member_merge(community=world.a, actor=_owner(world), target=github, source=discord)
        github.refresh_from_db()
        discord.refresh_from_db()
        assert github.activity_count == 5
        assert Activity.objects.for_community(world.a).filter(member=github).count() == 5
        assert set(Identity.objects.for_community(world.a).filter(member=github).values_list("channel", flat=True)) == {
            "github",
            "discord",
        }
        assert discord.status == MemberStatus.MERGED and discord.merged_into_id == github.pk
        assert MergeSuggestion.objects.for_community(world.a).get().status == SuggestionStatus.MERGED

        restored = member_unmerge(community=world.a, actor=_owner(world), merge=merge)
        github.refresh_from_db()
        assert restored.status == MemberStatus.ACTIVE and restored.activity_count == 2
        assert github.activity_count == 3
        assert Identity.objects.for_community(world.a).get(channel="discord").member_id == discord.pk
        assert Activity.objects.for_community(world.a).filter(member=discord).count() == 2
        assert list(AuditEntry.objects.for_community(world.a).order_by("id").values_list("action", flat=True)) == [
            "member.merge",
            "member.unmerge",
        ]
        with pytest.raises(ServiceError):
            member_unmerge(community=world.a, actor=_owner(world), merge=merge)


def test_accepting_a_suggestion_merges_the_newer_into_the_older(world):
    with community_scope(world.a.pk):
        older = _ingest(world, "github", "1", "sam", 1)
        newer = _ingest(world, "reddit", "sam", "sam", 1)
        suggestion = MergeSuggestion.objects.for_community(world.a).get()
        merge = suggestion_accept(community=world.a, actor=_owner(world), suggestion=suggestion)
        assert (merge.target_id, merge.source_id) == (older.pk, newer.pk)


def test_a_plain_member_cannot_merge_and_nothing_changes(world):
    with community_scope(world.a.pk):
        a = _ingest(world, "github", "1", "sam", 1)
        b = _ingest(world, "discord", "2", "sam", 1)
        bob = Actor(community=world.a, user_id=world.bob.pk, member=world.bob_member)
        with pytest.raises(ServiceError) as error:
            member_merge(community=world.a, actor=bob, target=a, source=b)
        assert error.value.code == "permission_denied"
        assert Member.objects.get(pk=b.pk).status == MemberStatus.ACTIVE
        assert Activity.objects.for_community(world.a).filter(member=b).count() == 1


def test_two_members_with_logins_cannot_be_merged(world):
    with community_scope(world.a.pk):
        owner = owner_of(world.a)
        with pytest.raises(ServiceError) as error:
            member_merge(community=world.a, actor=_owner(world), target=owner, source=world.bob_member)
        assert error.value.code == "conflict"
