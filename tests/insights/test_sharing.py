"""Share links of the insights dashboard: managers create and revoke them; the public view is read-only, signed,
expiring and revocable, and shows no member names."""

import re
from datetime import timedelta

from django.utils import timezone

from community.models import Role
from community.tenancy import community_scope
from insights.models import DashboardShare
from insights.services.rollups import rollups_update
from insights.services.sharing import share_token
from tests.factories import add_member, make_user
from tests.insights import dataset

SHARES = "/c/alpha/manage/insights/shares/"
MARCH = "days=custom&start=2026-03-06&end=2026-03-09"


def _load(world):
    ids = dataset.load(world.a) + dataset.ingest(world.a, dataset.LATE)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)


def _create(client, world, query=MARCH, days=7):
    client.force_login(world.alice)
    response = client.post(f"{SHARES}?{query}", {"label": "Board", "days_valid": days})
    assert response.status_code == 302, response.content
    with community_scope(world.a.pk):
        share = DashboardShare.objects.for_community(world.a).latest("created_at")
    return share, f"/c/alpha/insights/shared/{share_token(share)}/"


def test_a_shared_link_shows_the_frozen_filters_read_only_without_signing_in(client, world):
    _load(world)
    share, link = _create(client, world)
    assert share.filters == {"days": "custom", "start": "2026-03-06", "end": "2026-03-09"}
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store" and "noindex" in response["X-Robots-Tag"]
    assert '"data": [1, 2, 1, 2]' in html  # the period's activities, as on the dashboard
    assert "Download CSV" not in html and 'name="channel"' not in html  # no CSV, no filters
    assert "Top contributors" not in html and "ann@" not in html  # no member names
    people = {name for name in ("github ann", "github bob", "github cat")}
    assert not any(name in html for name in people)
    assert client.get(f"{link}?days=7&include_staff=on").content == response.content  # the query string is ignored


def test_a_revoked_expired_forged_or_foreign_link_is_a_404(client, world):
    _load(world)
    share, link = _create(client, world)
    assert client.get(link).status_code == 200
    # Signed for community A: the same token does not open under B's slug, nor a tampered one.
    assert client.get(link.replace("/c/alpha/", "/c/bravo/")).status_code == 404
    assert client.get(link[:-3] + "x/").status_code == 404
    with community_scope(world.a.pk):
        DashboardShare.objects.for_community(world.a).filter(pk=share.pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    assert client.get(link).status_code == 404
    share2, link2 = _create(client, world)
    response = client.post(f"{SHARES}{share2.pk}/revoke/")
    assert response.status_code == 302
    assert client.get(link2).status_code == 404
    with community_scope(world.a.pk):
        assert DashboardShare.objects.for_community(world.a).get(pk=share2.pk).revoked_at is not None


def test_the_shares_page_lists_links_and_asks_before_revoking(client, world):
    _, link = _create(client, world)
    html = client.get(SHARES).content.decode()
    assert link in html and "Board" in html
    assert re.search(r"<details><summary>Revoke…</summary>\s*<form method=\"post\"", html)


def test_only_managers_share_and_revoke(client, world):
    share, _ = _create(client, world)
    moderator = make_user("moderator@example.com")
    add_member(world.a, moderator, role=Role.MODERATOR)
    client.force_login(moderator)
    assert client.get(SHARES).status_code == 403
    assert client.post(SHARES, {"days_valid": 3}).status_code == 403
    assert client.post(f"{SHARES}{share.pk}/revoke/").status_code == 403
    with community_scope(world.a.pk):
        assert DashboardShare.objects.for_community(world.a).count() == 1
        assert DashboardShare.objects.for_community(world.a).get().revoked_at is None
    assert b"Share a read-only view" not in client.get("/c/alpha/manage/insights/").content


def test_a_link_lasts_one_to_ninety_days(client, world):
    client.force_login(world.alice)
    for days in (0, 91):
        response = client.post(SHARES, {"days_valid": days})
        assert response.status_code == 200 and b"errorlist" in response.content
    with community_scope(world.a.pk):
        assert not DashboardShare.objects.for_community(world.a).exists()
