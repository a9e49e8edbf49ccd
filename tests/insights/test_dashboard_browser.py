"""The insights dashboard in headless Chromium: every chart drawn (canvas pixels), no sideways scroll at 390 px,
screenshots at 1280 and 390 px in test-artifacts/ (insights-1280.png, insights-390.png, and the public view of a
share link: insights-shared-390.png)."""

from datetime import date

import pytest

from community.tenancy import community_scope
from insights.services.conversations import conversations_update
from insights.services.rollups import rollups_update
from tests.discussions.test_browser_journey import ARTIFACTS, CHROMIUM, LAUNCH_ARGS
from tests.factories import PASSWORD, make_community, make_user
from tests.insights import dataset

pytestmark = [pytest.mark.browser]

END = date(2026, 3, 9)
CHARTS = ("activity", "new_members", "responsiveness", "sentiment", "channels")
# A canvas Chart.js drew on has pixels that are not transparent.
PAINTED = """(name) => {
  const c = document.querySelector(`canvas[data-chart="${name}"]`);
  if (!c || !c.width || !c.height) return 0;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
  return painted;
}"""


@pytest.fixture
def browser(monkeypatch):
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _page(browser, live_server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "manager@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def test_dashboard_draws_every_chart_at_desktop_and_phone_width(transactional_db, live_server, browser):
    community_owner = make_user("manager@example.com")
    community = make_community(community_owner, slug="busy")
    community.settings = {"timezone": "Europe/Lisbon"}
    community.save(update_fields=["settings"])
    ids = dataset.ingest_items(community, dataset.busy_items(end=END, days=63))
    with community_scope(community.pk):
        rollups_update(community=community, activity_ids=ids)
        conversations_update(community=community, activity_ids=ids)
    ARTIFACTS.mkdir(exist_ok=True)
    url = f"{live_server.url}/c/busy/manage/insights/?days=custom&start=2026-02-08&end=2026-03-09"
    for width in (1280, 390):
        page, errors = _page(browser, live_server, width)
        page.goto(url)
        page.wait_for_selector("canvas[data-chart=channels][data-drawn]")
        for name in CHARTS:
            assert page.evaluate(PAINTED, name) > 500, name
        assert page.locator(".heat td[class^=heat-]").count() > 10
        assert page.locator("details.definition").count() >= 15
        assert page.locator("a:has-text('Download CSV')").count() == 14
        # No sideways scroll: the document is no wider than the viewport.
        wide = page.evaluate(
            "(w) => Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > w + 1"
            " && !(function up(p) { for (; p && p !== document.body; p = p.parentElement)"
            " { if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; })(e.parentElement))"
            ".slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))",
            width,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
        assert errors == []  # no CSP violation, no script error
        page.screenshot(path=str(ARTIFACTS / f"insights-{width}.png"), full_page=True)
        page.context.close()
    assert (ARTIFACTS / "insights-390.png").stat().st_size > 20_000

    # The public read-only view of a share link, signed out, at phone width: drawn too, no member names.
    from community.policy import Actor
    from community.selectors import member_for_user
    from insights.services.sharing import share_create, share_token

    with community_scope(community.pk):
        owner = member_for_user(community=community, user=community_owner)
        share = share_create(
            community=community, actor=Actor(community=community, user_id=owner.user_id, member=owner),
            filters={"days": "custom", "start": "2026-02-08", "end": "2026-03-09"}, days_valid=7, label="Board",
        )  # fmt: skip
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/c/busy/insights/shared/{share_token(share)}/")
    page.wait_for_selector("canvas[data-chart=channels][data-drawn]")
    assert all(page.evaluate(PAINTED, name) > 500 for name in CHARTS)
    assert page.locator("text=Top contributors").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "insights-shared-390.png"), full_page=True)
    context.close()
