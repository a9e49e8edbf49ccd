"""In headless Chromium: a member flags a post, a moderator (on a 390 px phone) claims it from the queue, hides it
and suspends the author, who sees the reason and appeals. Writes test-artifacts/moderation-queue-390.png."""

from django.utils import timezone

from community.models import Role
from community.tenancy import community_scope
from discussions.models import PostPolicy, Space, Topic
from moderation.models import Appeal, ItemStatus, QueueItem
from tests.discussions.test_browser_journey import (  # noqa: F401  (fixtures)
    ARTIFACTS,
    _sign_in,
    browser,
    pytestmark,
)
from tests.factories import add_member, make_community, make_user

PHONE = {"width": 390, "height": 844}


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_flag_claim_hide_suspend_and_appeal(transactional_db, live_server, browser):  # noqa: F811
    community = make_community(make_user("owner@example.com"), slug="gardeners")
    author = add_member(community, make_user("spammer@example.com"), display_name="spammer")
    add_member(community, make_user("reader@example.com"), display_name="reader")
    add_member(community, make_user("mod@example.com"), role=Role.MODERATOR, display_name="moddy")
    with community_scope(community.pk):
        space = Space.objects.create(community=community, name="Tips", slug="tips", start_policy=PostPolicy.MEMBERS)
        topic = Topic.objects.create(
            community=community, space=space, author=author, title="Cheap pills here", body="Buy now at example",
            body_html="<p>Buy now at example</p>", last_posted_at=timezone.now(),
        )  # fmt: skip

    # A member flags the post from the topic page.
    reader = _sign_in(browser, live_server, "reader@example.com")
    reader.goto(f"{live_server.url}/c/gardeners/d/t/{topic.pk}/")
    reader.click(".post-actions a:has-text('Flag')")
    reader.check("input[name=reason][value=spam]")
    reader.fill("textarea[name=note]", "Pill spam")
    reader.click("button:has-text('Send the flag')")
    reader.wait_for_selector("text=a moderator will look at it")

    # The moderator, on a phone, claims it from the queue, hides it, then suspends the author.
    mod = _sign_in(browser, live_server, "mod@example.com")
    mod.set_viewport_size(PHONE)
    mod.goto(f"{live_server.url}/c/gardeners/manage/moderation/")
    mod.wait_for_selector("text=Pill spam")
    assert _fits(mod), "the queue scrolls sideways at 390 px"
    ARTIFACTS.mkdir(exist_ok=True)
    mod.screenshot(path=str(ARTIFACTS / "moderation-queue-390.png"), full_page=True)
    mod.click("a:has-text('Cheap pills here')")
    mod.click("button:has-text('Claim')")
    mod.wait_for_selector("text=You hold this item")
    assert _fits(mod), "the item page scrolls sideways at 390 px"
    mod.click("button:has-text('Hide')")
    mod.wait_for_selector("text=Done: hide")
    mod.click("a:has-text('Warn, silence, suspend or ban')")
    mod.select_option("select[name=kind]", "suspend")
    mod.fill("input[name=days]", "7")
    mod.fill("textarea[name=reason]", "Selling pills breaks guideline 2")
    mod.check("input[name=confirm]")
    mod.click("button:has-text('Record the sanction')")
    mod.wait_for_selector("text=sanction recorded")
    with community_scope(community.pk):
        assert Topic.objects.get(pk=topic.pk).deleted_at is not None
        assert QueueItem.objects.for_community(community).get(subject_kind="topic").status == ItemStatus.HIDDEN

    # The author sees the reason and appeals.
    spammer = _sign_in(browser, live_server, "spammer@example.com")
    spammer.goto(f"{live_server.url}/c/gardeners/moderation/notices/")
    spammer.wait_for_selector("text=Selling pills breaks guideline 2")
    spammer.fill("textarea[name=body]", "I was hacked")
    spammer.click("button:has-text('Send the appeal')")
    spammer.wait_for_selector("text=Your appeal was sent")
    assert spammer.locator("text=Waiting for review").count() == 1
    with community_scope(community.pk):
        appeal = Appeal.objects.for_community(community).get()
        assert QueueItem.objects.for_community(community).filter(subject_kind="appeal", subject_id=appeal.pk).exists()
