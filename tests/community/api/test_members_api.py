"""Members API: directory filters, activities/identities sub-resources, merge/undo, GDPR export/erase, refusals."""

import pytest

from community.models import Member, MemberStatus, Organization, Segment
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from tests.community.factories import activity_items
from tests.factories import add_member, make_api_key


def _get(client, key, path):
    return client.get(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {key}")


def _send(client, key, method, path, data=None):
    return getattr(client, method)(
        f"/api/v1/{path}", data or {}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )


def _people(world):
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=activity_items(4, channel="github", people=2))
        activity_ingest(community=world.a, items=activity_items(2, channel="discord", people=1))
        return {
            m.handle + ":" + m.identities.get().channel: m
            for m in Member.objects.for_community(world.a).exclude(handle="")
        }


def test_members_filter_by_channel_tag_organization_search_and_segment(client, world):
    people = _people(world)
    with community_scope(world.a.pk):
        org = Organization.objects.create(community=world.a, name="Acme")
        Member.objects.filter(pk=people["p0:github"].pk).update(tags=["vip"], organization=org)
        segment = Segment.objects.create(community=world.a, name="VIPs", filters={"tag": "vip"})

    def ids(query):
        return {m["id"] for m in _get(client, world.a_key, f"members/?{query}").json()["results"]}

    assert ids("channel=discord") == {people["p0:discord"].pk}
    assert ids("tag=vip") == {people["p0:github"].pk}
    assert ids(f"organization={org.pk}") == {people["p0:github"].pk}
    assert ids(f"segment={segment.pk}") == {people["p0:github"].pk}
    assert ids("search=bob") == {world.bob_member.pk}
    assert ids("active_from=2026-01-01&active_to=2026-01-01") == {
        people["p0:github"].pk,
        people["p1:github"].pk,
        people["p0:discord"].pk,
    }
    assert ids("active_from=2027-01-01") == set()


def test_member_activities_and_identities_sub_resources(client, world):
    people = _people(world)
    member = people["p0:github"]
    activities = _get(client, world.a_key, f"members/{member.pk}/activities/").json()["results"]
    assert len(activities) == 2 and {a["member_id"] for a in activities} == {member.pk}
    identities = _get(client, world.a_key, f"members/{member.pk}/identities/").json()
    assert [(i["channel"], i["handle"]) for i in identities] == [("github", "p0")]


def test_patch_updates_profile_fields_and_role(client, world):
    response = _send(
        client, world.a_key, "patch", f"members/{world.bob_member.pk}/", {"tags": ["VIP"], "location": "Oslo"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["vip"] and response.json()["location"] == "Oslo"
    response = _send(client, world.a_key, "patch", f"members/{world.bob_member.pk}/", {"role": "moderator"})
    assert response.json()["role"] == "moderator"


def test_merge_endpoint_and_undo_round_trip(client, world):
    people = _people(world)
    target, source = people["p0:github"], people["p0:discord"]
    response = _send(client, world.a_key, "post", f"members/{target.pk}/merge/", {"source": source.pk})
    assert response.status_code == 201, response.content
    merge = response.json()
    assert len(merge["activity_ids"]) == 2
    assert len(_get(client, world.a_key, f"members/{target.pk}/activities/").json()["results"]) == 4
    assert {i["channel"] for i in _get(client, world.a_key, f"members/{target.pk}/identities/").json()} == {
        "github",
        "discord",
    }
    undone = _send(client, world.a_key, "post", f"merges/{merge['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["status"] == "active"
    assert len(_get(client, world.a_key, f"members/{target.pk}/activities/").json()["results"]) == 2
    assert _send(client, world.a_key, "post", f"merges/{merge['id']}/undo/").status_code == 409


def test_merge_suggestions_accept_through_the_api(client, world):
    people = _people(world)  # p0 on github and on discord share a handle
    suggestions = _get(client, world.a_key, "merge-suggestions/").json()["results"]
    assert len(suggestions) == 1
    response = _send(client, world.a_key, "post", f"merge-suggestions/{suggestions[0]['id']}/accept/")
    assert response.status_code == 201
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=people["p0:discord"].pk).status == MemberStatus.MERGED


def test_gdpr_export_and_erase_through_the_api(client, world):
    member = _people(world)["p1:github"]
    export = _get(client, world.a_key, f"members/{member.pk}/export/")
    assert export.status_code == 200 and len(export.json()["activities"]) == 2
    erased = _send(client, world.a_key, "post", f"members/{member.pk}/erase/")
    assert erased.json()["status"] == "erased" and erased.json()["display_name"] == "Erased member"
    assert _get(client, world.a_key, f"members/{member.pk}/identities/").json() == []


@pytest.mark.parametrize("scopes", [["members:read"], ["activities:write"]])
def test_keys_without_members_write_cannot_merge_or_erase(client, world, scopes):
    people = _people(world)
    _, key = make_api_key(world.a, scopes=scopes)
    target, source = people["p0:github"], people["p0:discord"]
    assert _send(client, key, "post", f"members/{target.pk}/merge/", {"source": source.pk}).status_code == 403
    assert _send(client, key, "post", f"members/{target.pk}/erase/").status_code == 403
    assert _get(client, key, f"members/{target.pk}/export/").status_code == 403
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=source.pk).status == MemberStatus.ACTIVE
        assert Member.objects.get(pk=target.pk).status == MemberStatus.ACTIVE


def test_a_manager_may_merge_but_not_erase(client, world):
    people = _people(world)
    carol = add_member(world.a, None, display_name="carol")
    with community_scope(world.a.pk):
        Member.objects.filter(pk=world.bob_member.pk).update(role="manager")
    client.force_login(world.bob)
    url = f"/api/v1/c/alpha/members/{people['p1:github'].pk}/erase/"
    assert client.post(url, content_type="application/json").status_code == 403
    merge_url = f"/api/v1/c/alpha/members/{carol.pk}/merge/"
    source = people["p1:github"].pk
    assert client.post(merge_url, {"source": source}, content_type="application/json").status_code == 201


def test_bs_member_is_404_from_a_for_every_sub_resource(client, world):
    with community_scope(world.b.pk):
        activity_ingest(community=world.b, items=activity_items(1))
        b_member = Member.objects.for_community(world.b).exclude(handle="").get()
    for path in ("", "activities/", "identities/", "export/"):
        assert _get(client, world.a_key, f"members/{b_member.pk}/{path}").status_code == 404
    assert _send(client, world.a_key, "post", f"members/{b_member.pk}/erase/").status_code == 404
    with community_scope(world.b.pk):
        assert Member.objects.get(pk=b_member.pk).status == MemberStatus.ACTIVE


def test_custom_fields_are_defined_then_set_on_members(client, world):
    created = _send(
        client, world.a_key, "post", "custom-fields/", {"key": "joined_meetup", "label": "Meetup", "kind": "date"}
    )
    assert created.status_code == 201, created.content
    bad = _send(
        client, world.a_key, "patch", f"members/{world.bob_member.pk}/", {"custom_fields": {"joined_meetup": "soon"}}
    )
    assert bad.status_code == 400
    ok = _send(
        client,
        world.a_key,
        "patch",
        f"members/{world.bob_member.pk}/",
        {"custom_fields": {"joined_meetup": "2026-05-01"}},
    )
    assert ok.json()["custom_fields"] == {"joined_meetup": "2026-05-01"}
