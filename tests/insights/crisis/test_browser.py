"""The crisis page and an alert's page in headless Chromium at 390 px: no sideways scroll, no script or CSP error;
screenshots in test-artifacts/ (crisis-390.png, alert-390.png)."""

import pytest

from community.models import Activity
from community.tenancy import community_scope
from tests.factories import make_community, make_user
from tests.insights.test_dashboard_browser import _page, browser  # noqa: F401 (fixture)

from .conftest import make_alert

pytestmark = [pytest.mark.browser]


def test_crisis_pages_fit_a_phone(transactional_db, live_server, browser):  # noqa: F811
    from tests.discussions.test_browser_journey import ARTIFACTS

    community = make_community(make_user("manager@example.com"), slug="busy")
    with community_scope(community.pk):
        activity = Activity.objects.create(
            community=community, kind="message", channel="discord", source="discord", external_id="m1",
            occurred_at=community.created_at, body="the app is down again " * 12, sentiment=-0.9,
            sentiment_label="negative", url="https://discord.com/channels/1/2/" + "3" * 80,
        )  # fmt: skip
    alert = make_alert(community, ids=(activity.pk,))
    ARTIFACTS.mkdir(exist_ok=True)
    page, errors = _page(browser, live_server, 390)
    for path, name in (
        ("/c/busy/manage/insights/crisis/", "crisis"),
        (f"/c/busy/manage/insights/crisis/{alert.pk}/", "alert"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        page.screenshot(path=str(ARTIFACTS / f"{name}-390.png"), full_page=True)
    page.fill("#comment", "On it")
    page.click("button[value=comment]")
    page.wait_for_load_state()
    assert page.locator("text=On it").count() >= 1
    assert errors == []
