"""A member's journey in headless Chromium: sign in, open a space, ask, get an answer, accept, react, search.

Uses Debian's /usr/bin/chromium through Playwright; writes test-artifacts/topic-page.png.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

from community.tenancy import community_scope
from discussions.models import PostPolicy, Space
from tests.discussions.conftest import established
from tests.factories import PASSWORD, add_member, make_community, make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Debian chromium is not installed (apt-get install chromium)"
    ),
]


@pytest.fixture
def browser(monkeypatch):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server's request threads must not keep database sessions open (keep-alive + CONN_MAX_AGE),
    # or the test database cannot be dropped at the end of the run.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def _sign_in(browser, live_server, email):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()[:2000]
    return page


def test_member_journey_question_answer_accept_react_search(transactional_db, live_server, browser):
    asker, answerer = make_user("asker@example.com"), make_user("answerer@example.com")
    community = make_community(make_user("owner@example.com"), slug="bakers")
    established(
        community,
        add_member(community, asker, display_name="asker", handle="asker"),
        add_member(community, answerer, display_name="answerer", handle="answerer"),
    )
    with community_scope(community.pk):
        Space.objects.create(
            community=community, name="Help", slug="help", description="Ask anything", start_policy=PostPolicy.MEMBERS
        )

    # The asker signs in, opens the space from the community home and starts a question.
    page = _sign_in(browser, live_server, "asker@example.com")
    page.goto(f"{live_server.url}/c/bakers/")
    page.click("nav[aria-label=Spaces] >> text=Help")
    page.click("text=New topic")
    page.fill("#id_title", "Why is my sourdough flat?")
    page.select_option("#id_kind", "question")
    page.fill("#id_body", "My loaf spreads out in the oven. Any **ideas**?")
    page.click("button:has-text('Post topic')")
    page.wait_for_selector("h1:has-text('Why is my sourdough flat?')")
    topic_url = page.url

    # A second member answers and mentions the asker.
    other = _sign_in(browser, live_server, "answerer@example.com")
    other.goto(topic_url)
    other.fill("#id_body", "Your starter is weak, @asker: feed it twice a day before baking.")
    other.click("button:has-text('Post reply')")
    other.wait_for_selector("#r1 >> text=feed it twice a day")
    assert other.locator("#r1 a:has-text('@asker')").count() == 1

    # The asker sees the mention, accepts the answer and reacts to it.
    page.goto(f"{live_server.url}/c/bakers/d/notifications/")
    assert page.locator("text=mentioned you").count() == 1
    page.goto(topic_url)
    page.click("#r1 button:has-text('Accept answer')")
    page.wait_for_selector("#accepted-title")
    page.click("#r1 button[aria-label='React 👍']")
    page.wait_for_selector("#r1 .reaction:has-text('👍 1')")

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "topic-page.png"), full_page=True)

    # And finds it again through search.
    page.goto(f"{live_server.url}/c/bakers/d/search/")
    page.fill("#id_q", "sourdough")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_selector(".hit")
    assert page.locator(".hit a:has-text('Why is my sourdough flat?')").count() >= 1
    assert page.locator(".hit mark").count() >= 1
    assert (ARTIFACTS / "topic-page.png").stat().st_size > 10_000


def test_an_uploaded_image_goes_into_the_post_and_displays(transactional_db, live_server, browser, settings, tmp_path):
    """The upload widget (static/js/uploads.js): progress, the markdown at the cursor, the image served."""
    import io

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    poster = make_user("poster@example.com")
    community = make_community(make_user("owner2@example.com"), slug="painters")
    established(community, add_member(community, poster, display_name="poster", handle="poster"))
    with community_scope(community.pk):
        Space.objects.create(community=community, name="Show", slug="show", start_policy=PostPolicy.MEMBERS)
    image, text = tmp_path / "sunset.png", tmp_path / "notes.txt"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (250, 120, 30)).save(buffer, format="PNG")
    image.write_bytes(buffer.getvalue())
    text.write_text("not an image")

    page = _sign_in(browser, live_server, "poster@example.com")
    page.goto(f"{live_server.url}/c/painters/d/s/show/new/")
    page.fill("#id_title", "My sunset")
    page.fill("#id_body", "Look at this:")
    page.set_input_files("#id_file", str(text))
    page.wait_for_selector("[data-upload-status].error")
    assert "PNG, JPEG, GIF or WebP" in page.inner_text("[data-upload-status]")
    page.set_input_files("#id_file", str(image))
    page.wait_for_selector("[data-upload-status].ok")
    body = page.input_value("#id_body")
    assert body.startswith("Look at this:\n![image](/media/discussions/")
    page.click("button:has-text('Post topic')")
    page.wait_for_selector("h1:has-text('My sunset')")
    src = page.get_attribute("article img", "src") or page.get_attribute("img[alt=image]", "src")
    assert src and src.startswith("/media/discussions/")
    loaded = page.evaluate(
        "() => Array.from(document.images).filter(i => i.src.includes('/media/')).map(i => i.naturalWidth)"
    )
    assert loaded == [40]
