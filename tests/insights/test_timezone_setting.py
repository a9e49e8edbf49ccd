"""The community's time zone on the settings page (an insights settings panel): validated, admins only, and a
change rebuilds the rollups in the local days of the new zone."""

from datetime import date

from community.models import Community, Role
from community.tenancy import community_scope
from insights.models import MemberDay
from insights.services.rollups import rollups_update
from tests.factories import add_member, make_user
from tests.insights import dataset

SETTINGS = "/c/alpha/manage/settings/"
SET = "/c/alpha/manage/insights/timezone/"


def _zone(community) -> str | None:
    return (Community.objects.get(pk=community.pk).settings or {}).get("timezone")


def test_the_settings_page_offers_the_time_zone(client, world):
    client.force_login(world.alice)
    html = client.get(SETTINGS).content.decode()
    assert 'action="/c/alpha/manage/insights/timezone/"' in html
    assert '<option value="America/New_York">' in html


def test_setting_the_time_zone_rebuilds_every_local_day(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    ids = dataset.load(world.a, timezone="UTC")
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
    ann = dataset.member_ids(world.a)["ann"]
    client.force_login(world.alice)
    with community_scope(world.a.pk):
        assert MemberDay.objects.for_community(world.a).filter(member_id=ann, day=date(2026, 3, 8)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SET, {"timezone": "America/New_York"})
    assert response.status_code == 302 and _zone(world.a) == "America/New_York"
    with community_scope(world.a.pk):
        # ann's 04:30 UTC message of Mar 8 is Mar 7 23:30 in New York: the rebuild moved it.
        days = set(MemberDay.objects.for_community(world.a).filter(member_id=ann).values_list("day", flat=True))
    assert days == {date(2026, 3, 7)}


def test_an_unknown_time_zone_is_refused_and_nothing_changes(client, world):
    client.force_login(world.alice)
    response = client.post(SET, {"timezone": "Mars/Olympus_Mons"}, follow=True)
    assert response.status_code == 200 and b"Choose a time zone" in response.content
    assert _zone(world.a) is None


def test_only_admins_set_the_time_zone(client, world):
    moderator = make_user("mod@example.com")
    add_member(world.a, moderator, role=Role.MODERATOR)
    client.force_login(moderator)
    assert client.post(SET, {"timezone": "Europe/Lisbon"}).status_code == 403
    assert _zone(world.a) is None
