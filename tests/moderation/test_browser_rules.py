"""In headless Chromium on a 390 px phone: a manager adds a watched word, tries a text in the tester and reads the
posting limits, without sideways scrolling; a member's post with the word is then held. Writes
test-artifacts/moderation-rules-390.png."""

from community.tenancy import community_scope
from discussions.models import PostPolicy, Space, Topic
from moderation.models import QueueItem
from tests.discussions.conftest import established
from tests.discussions.test_browser_journey import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    _sign_in,
    browser,
    pytestmark,
)
from tests.factories import add_member, make_community, make_user
from tests.moderation.test_browser_journey import PHONE, _fits


def test_a_manager_sets_a_watched_word_on_a_phone_and_it_holds_a_post(transactional_db, live_server, browser):  # noqa: F811
    community = make_community(make_user("owner@example.com"), slug="anglers")
    established(community, add_member(community, make_user("poster@example.com"), display_name="poster"))
    with community_scope(community.pk):
        Space.objects.create(community=community, name="Catch", slug="catch", start_policy=PostPolicy.MEMBERS)

    owner = _sign_in(browser, live_server, "owner@example.com")
    owner.set_viewport_size(PHONE)
    owner.goto(f"{live_server.url}/c/anglers/manage/moderation/rules/")
    owner.fill("#ww-pattern", "crypto" + "x" * 60)  # a long pattern must wrap, not widen the page
    owner.select_option("#ww-action", "hold")
    owner.click("button:has-text('Add')")
    owner.wait_for_selector("text=Watched word added")
    owner.fill("#ww-pattern", "crypto")
    owner.select_option("#ww-action", "hold")
    owner.click("button:has-text('Add')")
    owner.wait_for_selector("text=Watched word added")
    owner.fill("#tester-text", "free C R Y P T 0 here")
    owner.click("button:has-text('Test')")
    owner.wait_for_selector("text=Action that would apply: hold")
    assert _fits(owner), "the rules page scrolls sideways at 390 px"
    ARTIFACTS.mkdir(exist_ok=True)
    owner.screenshot(path=str(ARTIFACTS / "moderation-rules-390.png"), full_page=True)

    poster = _sign_in(browser, live_server, "poster@example.com")
    poster.goto(f"{live_server.url}/c/anglers/d/s/catch/new/")
    poster.fill("input[name=title]", "Get rich")
    poster.fill("textarea[name=body]", "Buy crypt0 today")
    poster.click("button:has-text('Post topic')")
    poster.wait_for_selector("text=waiting for a moderator")
    with community_scope(community.pk):
        topic = Topic.objects.for_community(community).get(title="Get rich")
        assert topic.deleted_at is not None
        assert QueueItem.objects.for_community(community).filter(subject_id=topic.pk, source="watched_word").exists()
