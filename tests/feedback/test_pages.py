"""Feedback pages: refusals for boards one may not read, voting through the page, constant query counts, the
similar-ideas endpoint, the staff pages (menu, status, merge with confirmation, CSV)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Activity, Member, Segment
from community.tenancy import community_scope
from feedback.models import Idea, IdeaStatus, Vote
from feedback.services.votes import vote_cast
from feedback.views import member
from tests.discussions.conftest import actor_for

pytestmark = pytest.mark.django_db
NS = "community:feedback"


def url(m, name, **kwargs):
    return reverse(f"{NS}:{name}", kwargs={"community_slug": m.a.slug, **kwargs})


def login(client, m, member):
    client.force_login(member.user)


def test_a_member_cannot_see_or_vote_on_a_staff_board(client, fb):
    m = fb
    idea = m.post(m.mia, "Internal tooling", board=m.staff_board)
    login(client, m, m.bob)
    assert client.get(url(m, "board", board_slug=m.staff_board.slug)).status_code == 404
    assert client.get(url(m, "idea", idea_id=idea.pk)).status_code == 404
    assert client.post(url(m, "idea_vote", idea_id=idea.pk)).status_code == 404
    assert client.get(url(m, "similar", board_slug=m.staff_board.slug) + "?q=internal").status_code == 404
    assert "Internal tooling" not in client.get(url(m, "roadmap")).content.decode()
    assert "Internal" not in client.get(url(m, "boards")).content.decode()
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=idea.pk).vote_count == 0
    login(client, m, m.mia)
    assert client.get(url(m, "board", board_slug=m.staff_board.slug)).status_code == 200


def test_visitors_see_a_public_board_but_not_a_members_board(client, fb):
    m = fb
    m.post(m.bob, "Bug in search", board=m.members_board)
    assert client.get(url(m, "board", board_slug=m.board.slug)).status_code == 200
    assert client.get(url(m, "board", board_slug=m.members_board.slug)).status_code == 404


def test_a_member_votes_and_unvotes_through_the_page(client, fb):
    m = fb
    idea = m.post(m.bob)
    login(client, m, m.carol)
    response = client.post(url(m, "idea_vote", idea_id=idea.pk), {"importance": "critical"})
    assert response.status_code == 302
    with community_scope(m.a.pk):
        assert Vote.objects.get(idea=idea, member=m.carol).importance == "critical"
    page = client.get(url(m, "idea", idea_id=idea.pk)).content.decode()
    assert "You voted (Critical)" in page
    client.post(url(m, "idea_vote", idea_id=idea.pk), {"do": "unvote"})
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=idea.pk).vote_count == 0


def test_posting_an_idea_through_the_form(client, fb):
    m = fb
    login(client, m, m.carol)
    page = client.get(url(m, "idea_new", board_slug=m.board.slug)).content.decode()
    assert 'for="id_title"' in page and "js/feedback.js" in page
    response = client.post(url(m, "idea_new", board_slug=m.board.slug), {"title": "Webhooks", "body": "For ideas"})
    assert response.status_code == 302
    with community_scope(m.a.pk):
        assert Idea.objects.for_community(m.a).get().topic.title == "Webhooks"


def test_the_similar_endpoint_returns_the_boards_ideas_like_the_text(client, fb):
    m = fb
    idea = m.post(m.bob, "Dark mode please")
    response = client.get(url(m, "similar", board_slug=m.board.slug) + "?q=dark+theme")
    data = response.json()["ideas"]
    assert [d["id"] for d in data] == [idea.pk] and data[0]["url"].endswith(f"/feedback/i/{idea.pk}/")


def _many_ideas(m, n):
    for i in range(n):
        idea = m.post(m.bob if i % 2 else m.carol, f"Idea number {i}", f"Body {i}")
        with community_scope(m.a.pk):
            vote_cast(community=m.a, actor=actor_for(m.a, m.dan), idea=idea)
            if i % 3 == 0:
                planned = IdeaStatus.objects.for_community(m.a).get(key="planned")
                Idea.objects.filter(pk=idea.pk).update(status=planned)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["board", "roadmap", "boards", "prioritise", "changelog"])
def test_list_pages_cost_the_same_with_one_idea_and_with_many(client, fb, name):
    m = fb
    login(client, m, m.mia if name == "prioritise" else m.dan)
    path = url(m, name, board_slug=m.board.slug) if name == "board" else url(m, name)
    _many_ideas(m, 1)
    one = _count(client, path)
    _many_ideas(m, 12)
    assert _count(client, path) == one


def test_the_idea_page_costs_the_same_with_few_and_many_votes_and_evidence(client, fb):
    m = fb
    idea = m.post(m.bob)
    login(client, m, m.carol)
    path = url(m, "idea", idea_id=idea.pk)
    one = _count(client, path)
    with community_scope(m.a.pk):
        for who in (m.dan, m.alice, m.mia):
            vote_cast(community=m.a, actor=actor_for(m.a, who), idea=idea)
    assert _count(client, path) == one


def test_staff_see_the_feedback_menu_members_do_not_reach_staff_pages(client, fb):
    m = fb
    idea = m.post(m.bob)
    login(client, m, m.mia)
    page = client.get(url(m, "prioritise")).content.decode()
    assert ">Feedback</a>" in page and "Dark mode for the dashboard" in page
    login(client, m, m.bob)
    assert client.get(url(m, "prioritise")).status_code == 403
    assert client.post(url(m, "idea_manage", idea_id=idea.pk), {"do": "status", "status": "shipped"}).status_code == 403
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=idea.pk).status.key == "open"


def test_staff_change_status_and_merge_only_with_confirmation(client, fb):
    m = fb
    target, source = m.post(m.bob, "Dark mode"), m.post(m.carol, "Night theme")
    login(client, m, m.mia)
    client.post(url(m, "idea_manage", idea_id=target.pk), {"do": "status", "status": "shipped"})
    client.post(url(m, "idea_manage", idea_id=source.pk), {"do": "merge", "target": target.pk})
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=target.pk).status.key == "shipped"
        assert Idea.objects.get(pk=source.pk).merged_into_id is None  # no confirmation: nothing merged
    client.post(url(m, "idea_manage", idea_id=source.pk), {"do": "merge", "target": target.pk, "confirm": "yes"})
    with community_scope(m.a.pk):
        assert Idea.objects.get(pk=source.pk).merged_into_id == target.pk
    # The merged idea's page leads to the target.
    assert client.get(url(m, "idea", idea_id=source.pk))["Location"].endswith(f"/feedback/i/{target.pk}/")


def test_prioritisation_csv_has_votes_members_and_trend(client, fb):
    m = fb
    idea = m.post(m.bob, "=HYPERLINK(evil)")
    with community_scope(m.a.pk):
        vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=idea)
    login(client, m, m.mia)
    response = client.get(url(m, "prioritise") + "?format=csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("id,title,board,status,votes")
    assert "'=HYPERLINK(evil)" in lines[1] and ",1,0,2,0,1," in lines[1]


def test_the_member_timeline_offers_use_as_feedback_on_each_activity(client, fb):
    m = fb
    m.post(m.bob)  # bob's idea is an activity of his
    with community_scope(m.a.pk):
        activity = Activity.objects.for_community(m.a).filter(member=m.bob).first()
    login(client, m, m.mia)
    page = client.get(reverse("community:manage_member_profile", args=[m.a.slug, m.bob.pk])).content.decode()
    target = url(m, "activity_feedback", activity_id=activity.pk)
    assert target in page
    assert client.get(target).status_code == 200
    response = client.post(target, {"do": "new", "board": m.board.pk, "title": "From the timeline"})
    assert response.status_code == 302
    with community_scope(m.a.pk):
        assert Idea.objects.for_community(m.a).filter(topic__title="From the timeline").exists()


def test_the_board_pages_through_its_ideas_by_votes(client, fb, monkeypatch):
    m = fb
    monkeypatch.setattr(member, "PAGE_SIZE", 2)
    ideas = [m.post(m.bob, f"Idea {i}") for i in range(3)]
    with community_scope(m.a.pk):
        vote_cast(community=m.a, actor=actor_for(m.a, m.dan), idea=ideas[2])
    first = client.get(url(m, "board", board_slug=m.board.slug)).content.decode()
    second = client.get(url(m, "board", board_slug=m.board.slug) + "?page=2").content.decode()
    assert first.index("Idea 2") < first.index("Idea 1") and "Idea 0" not in first and "Fewer votes" in first
    assert "Idea 0" in second and "Idea 2" not in second
    assert client.get(url(m, "board", board_slug=m.board.slug) + "?page=%C2%B2").status_code == 200


def test_anonymous_readers_get_the_cached_board_until_a_vote_changes_it(client, fb, django_capture_on_commit_callbacks):
    m = fb
    idea = m.post(m.bob)
    path = url(m, "board", board_slug=m.board.slug)
    assert client.get(path)["X-Hearth-Page-Cache"] == "miss"
    assert client.get(path)["X-Hearth-Page-Cache"] == "hit"
    with community_scope(m.a.pk), django_capture_on_commit_callbacks(execute=True):
        vote_cast(community=m.a, actor=actor_for(m.a, m.dan), idea=idea)
    response = client.get(path)
    assert response["X-Hearth-Page-Cache"] == "miss" and "<b>1</b>" in response.content.decode()


def test_prioritisation_filters_by_segment_and_counts_its_votes(client, fb):
    m = fb
    wanted, other = m.post(m.alice, "Single sign-on"), m.post(m.alice, "Emoji picker")
    with community_scope(m.a.pk):
        Member.objects.filter(pk=m.carol.pk).update(tags=["vip"])
        segment = Segment.objects.create(community=m.a, name="VIPs", filters={"tag": "vip"})
        vote_cast(community=m.a, actor=actor_for(m.a, m.carol), idea=wanted)
        vote_cast(community=m.a, actor=actor_for(m.a, m.dan), idea=other)
    login(client, m, m.mia)
    page = client.get(url(m, "prioritise") + f"?segment={segment.pk}").content.decode()
    assert "Single sign-on" in page and "Emoji picker" not in page and "VIPs votes" in page
    assert "Emoji picker" in client.get(url(m, "prioritise")).content.decode()
