"""In headless Chromium: a member posts an idea (the similar ideas show as they type), a second member votes, staff
on a 390 px phone merge a duplicate into it and mark it shipped, and the voter sees the notification.
Writes test-artifacts/feedback-idea-manage-390.png."""

from community.models import Role
from community.tenancy import community_scope
from feedback.models import Idea, Vote
from feedback.services.boards import board_create
from feedback.services.ideas import idea_post
from tests.discussions.conftest import actor_for, established
from tests.discussions.test_browser_journey import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    _sign_in,
    browser,
    pytestmark,
)
from tests.factories import add_member, make_community, make_user, owner_of

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_post_vote_merge_ship_and_the_voter_hears(transactional_db, live_server, browser):  # noqa: F811
    community = make_community(make_user("owner@example.com"), slug="makers")
    members = [
        add_member(community, make_user(f"{name}@example.com"), display_name=name) for name in ("poster", "voter")
    ]
    early = add_member(community, make_user("early@example.com"), display_name="early")
    established(community, *members, early)  # past trust level 0, whose first posts wait for review
    add_member(community, make_user("mod@example.com"), role=Role.MODERATOR, display_name="moddy")
    with community_scope(community.pk):
        board = board_create(community=community, actor=actor_for(community, owner_of(community)), name="Ideas")
        duplicate = idea_post(
            community=community, actor=actor_for(community, early), board=board,
            title="Dark theme at night", body="My eyes hurt at night",
        )  # fmt: skip

    # A member types an idea: the similar one shows; they post theirs anyway.
    poster = _sign_in(browser, live_server, "poster@example.com")
    poster.goto(f"{live_server.url}/c/makers/feedback/b/{board.slug}/new/")
    poster.fill("input[name=title]", "Dark mode for the app")
    poster.wait_for_selector("#similar-list a:has-text('Dark theme at night')")
    poster.fill("textarea[name=body]", "A dark mode, please")
    poster.click("button:has-text('Post idea')")
    poster.wait_for_selector("text=Your idea is posted")
    with community_scope(community.pk):
        idea = Idea.objects.for_community(community).exclude(pk=duplicate.pk).get()

    # A second member votes for it.
    voter = _sign_in(browser, live_server, "voter@example.com")
    voter.goto(f"{live_server.url}/c/makers/feedback/i/{idea.pk}/")
    voter.select_option("select[name=importance]", "important")
    voter.click("button:has-text('Vote')")
    voter.wait_for_selector("text=Thanks: your vote counts")

    # Staff, on a phone, merge the duplicate into it, then mark it shipped.
    mod = _sign_in(browser, live_server, "mod@example.com")
    mod.set_viewport_size(PHONE)
    mod.goto(f"{live_server.url}/c/makers/manage/feedback/")
    mod.wait_for_selector("a:has-text('Dark mode for the app')")
    assert _fits(mod), "the prioritisation view scrolls sideways at 390 px"
    mod.goto(f"{live_server.url}/c/makers/manage/feedback/i/{duplicate.pk}/")
    mod.select_option("select[name=target]", str(idea.pk))
    mod.check("input[name=confirm]")
    mod.click("button:has-text('Merge')")
    mod.wait_for_selector("text=Merged: the idea now has 1 votes")
    assert _fits(mod), "the idea's staff page scrolls sideways at 390 px"
    ARTIFACTS.mkdir(exist_ok=True)
    mod.screenshot(path=str(ARTIFACTS / "feedback-idea-manage-390.png"), full_page=True)
    mod.select_option("select[name=status]", "shipped")
    mod.click("button:has-text('Change status')")
    mod.wait_for_selector("text=Status is now Shipped")
    mod.goto(f"{live_server.url}/c/makers/feedback/roadmap/")
    mod.wait_for_selector(".roadmap-column:has-text('Shipped') a:has-text('Dark mode for the app')")
    assert _fits(mod), "the roadmap scrolls sideways at 390 px"
    with community_scope(community.pk):
        assert Idea.objects.get(pk=duplicate.pk).merged_into_id == idea.pk
        assert Vote.objects.for_community(community).filter(idea=idea).count() == 1

    # The voter hears of it.
    voter.goto(f"{live_server.url}/c/makers/d/notifications/")
    voter.wait_for_selector("text=changed the status of an idea you follow")
    assert voter.locator("text=Dark mode for the app").count() >= 1
