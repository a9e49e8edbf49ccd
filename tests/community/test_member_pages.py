"""Manager pages about members: directory, profile timeline, organizations, import, export; constant queries."""

import json

import pytest

from community.models import Activity, AuditEntry, Member, MemberStatus, Organization, Segment
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from tests.community.factories import activity_items
from tests.factories import add_member

BASE = "/c/alpha/manage"


def _members(world, n):
    with community_scope(world.a.pk):
        org = Organization.objects.create(community=world.a, name="Acme", domains=["acme.test"])
        for i in range(n):
            add_member(world.a, None, display_name=f"Guest {i}", organization=org, tags=["vip"])


@pytest.mark.parametrize("extra", [1, 50])
def test_directory_has_a_constant_query_count(client, world, django_assert_num_queries, extra):
    _members(world, extra)
    client.force_login(world.alice)
    with django_assert_num_queries(14):
        response = client.get(f"{BASE}/members/?tag=vip&sort=activity")
    assert response.status_code == 200
    assert response.content.decode().count("Guest ") >= extra


@pytest.mark.parametrize("extra", [1, 50])
def test_profile_timeline_has_a_constant_query_count(client, world, django_assert_num_queries, extra):
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=activity_items(extra, people=1))
        member_id = Activity.objects.for_community(world.a).first().member_id
    client.force_login(world.alice)
    # no COUNT(*) of the timeline: the page fetches one row more than it shows
    with django_assert_num_queries(16):
        response = client.get(f"{BASE}/members/{member_id}/profile/")
    assert response.status_code == 200
    assert response.content.decode().count("Activity ") >= extra


def test_directory_filters_and_csv_export(client, world):
    _members(world, 3)
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=activity_items(2, channel="discord", people=1))
    client.force_login(world.alice)
    page = client.get(f"{BASE}/members/?channel=discord").content.decode()
    assert "p0" in page and "Guest 0" not in page
    response = client.get(f"{BASE}/members/?tag=vip&format=csv")
    rows = b"".join(response.streaming_content).decode().strip().splitlines()
    assert response["Content-Type"] == "text/csv"
    assert len(rows) == 1 + 3 and "Acme" in rows[1]


def test_bulk_tag_and_saved_segment(client, world):
    _members(world, 2)
    client.force_login(world.alice)
    with community_scope(world.a.pk):
        ids = list(Member.objects.for_community(world.a).filter(tags=["vip"]).values_list("id", flat=True))
    client.post(f"{BASE}/members/bulk-tag/", {"member": ids, "tags": "Speaker, mentor", "op": "add"})
    with community_scope(world.a.pk):
        assert Member.objects.for_community(world.a).filter(tags__contains=["speaker", "mentor", "vip"]).count() == 2
    response = client.post(f"{BASE}/segments/", {"name": "Speakers", "tag": "speaker"})
    with community_scope(world.a.pk):
        segment = Segment.objects.for_community(world.a).get()
    assert response["Location"].endswith(f"?segment={segment.pk}")
    page = client.get(f"{BASE}/members/?segment={segment.pk}").content.decode()
    assert "Guest 0" in page and "2 members" in page


def test_a_plain_member_cannot_see_the_directory_or_a_profile(client, world):
    client.force_login(world.bob)
    assert client.get(f"{BASE}/members/").status_code == 403
    assert client.get(f"{BASE}/members/{world.bob_member.pk}/profile/").status_code == 403
    assert client.get(f"{BASE}/members/{world.bob_member.pk}/export.json").status_code == 403
    assert client.post(f"{BASE}/members/{world.bob_member.pk}/erase/", {"confirm": "erase"}).status_code == 403
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=world.bob_member.pk).status == MemberStatus.ACTIVE


def test_role_change_and_approval_still_work_from_the_directory(client, world):
    client.force_login(world.alice)
    response = client.post(f"{BASE}/members/{world.bob_member.pk}/", {"role": "moderator"})
    assert response.status_code == 302
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=world.bob_member.pk).role == "moderator"
    assert "Roles and requests to join" in client.get(f"{BASE}/members/").content.decode()


def test_export_download_and_erase_from_the_profile(client, world):
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=activity_items(2, people=1))
        member = Activity.objects.for_community(world.a).first().member
    client.force_login(world.alice)
    response = client.get(f"{BASE}/members/{member.pk}/export.json")
    assert json.loads(response.content)["member"]["id"] == member.pk
    client.post(f"{BASE}/members/{member.pk}/erase/", {"confirm": "erase"})
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=member.pk).status == MemberStatus.ERASED
        assert list(AuditEntry.objects.for_community(world.a).values_list("action", flat=True).order_by("id")) == [
            "member.export",
            "member.erase",
        ]


CSV = "name,email,tags,organization,location\nAda,ada@acme.test,vip;speaker,Acme,London\n,broken,,,\nBob,bob@example.com,,,Paris\n"


def test_import_previews_then_applies(client, world):
    client.force_login(world.alice)
    preview = client.post(f"{BASE}/members/import/", {"csv_text": CSV})
    body = preview.content.decode()
    assert "1 to create, 1 to update, 1 with errors" in body
    with community_scope(world.a.pk):
        assert not Member.objects.for_community(world.a).filter(display_name="Ada").exists()
    client.post(f"{BASE}/members/import/", {"csv_text": CSV, "apply": "1"})
    with community_scope(world.a.pk):
        ada = Member.objects.for_community(world.a).select_related("organization").get(display_name="Ada")
        assert ada.tags == ["speaker", "vip"] and ada.organization.name == "Acme" and ada.location == "London"
        assert Member.objects.get(pk=world.bob_member.pk).location == "Paris"


def test_organizations_list_and_page(client, world):
    _members(world, 2)
    client.force_login(world.alice)
    assert "Acme" in client.get(f"{BASE}/organizations/").content.decode()
    with community_scope(world.a.pk):
        org = Organization.objects.for_community(world.a).get()
    page = client.get(f"{BASE}/organizations/{org.pk}/").content.decode()
    assert "Guest 0" in page and "Guest 1" in page


def test_custom_fields_are_defined_by_admins_and_validated_on_the_profile(client, world):
    client.force_login(world.alice)
    client.post(
        f"{BASE}/members/fields/", {"key": "tshirt", "label": "T-shirt", "kind": "choice", "choices": "S, M, L"}
    )
    client.post(f"{BASE}/members/{world.bob_member.pk}/edit/", {"cf_tshirt": "XXL"})
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=world.bob_member.pk).custom_fields == {}
    client.post(f"{BASE}/members/{world.bob_member.pk}/edit/", {"cf_tshirt": "M", "tags": "x"})
    with community_scope(world.a.pk):
        assert Member.objects.get(pk=world.bob_member.pk).custom_fields == {"tshirt": "M"}
    assert "T-shirt" in client.get(f"{BASE}/members/{world.bob_member.pk}/profile/").content.decode()
    client.force_login(world.bob)
    assert client.post(f"{BASE}/members/fields/", {"key": "x", "label": "X"}).status_code == 403


def test_csv_export_neutralises_formulas_from_other_platforms(client, world):
    import csv
    import io

    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd", "-2+3", "@SUM(A1)", "\tTab"]
    for n, name in enumerate(hostile):
        add_member(world.a, None, display_name=name, handle=f"h{n}")
    client.force_login(world.alice)
    response = client.get(f"{BASE}/members/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    names = {row[1] for row in rows[1:]}
    assert {"'" + name for name in hostile} <= names
    assert not any(name.startswith(("=", "+", "-", "@", "\t")) for name in names)
