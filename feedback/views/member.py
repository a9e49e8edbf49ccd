"""Members' pages: boards, a board's ideas by votes, an idea, posting (with similar ideas), roadmap, changelog."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.page_cache import anonymous_page_cache
from community.policy import can
from community.views.paging import slice_page
from community.views.scoping import community_page
from discussions.selectors import reply_list

from .. import selectors
from ..forms import IdeaForm, VoteForm
from ..models import Follower, Vote
from ..services import ideas as idea_services
from ..services import votes as vote_services
from .common import NS, error_page, page

PAGE_SIZE = 50


def _page_number(request) -> int:
    value = request.GET.get("page", "1")
    return max(1, min(int(value), 10_000)) if value.isascii() and value.isdigit() and len(value) < 6 else 1


@community_page("feedback.read")
@anonymous_page_cache
def boards(request, community_slug):
    items = list(selectors.board_list(community=request.community, actor=request.actor))
    return page(request, "feedback/boards.html", {"boards": items})


@community_page("feedback.read")
@anonymous_page_cache
def board(request, community_slug, board_slug):
    community, actor = request.community, request.actor
    the_board = selectors.access_board(community=community, actor=actor, slug=board_slug)
    statuses = selectors.status_list(community=community)
    status = request.GET.get("status", "")
    status = status if status in {s.key for s in statuses} else ""
    tag = request.GET.get("tag", "")[:40]
    ideas = selectors.idea_list(
        community=community, actor=actor, board=the_board, status=status, tag=tag, include_closed=bool(status)
    )
    page_ = slice_page(ideas, _page_number(request), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "board": the_board, "ideas": page_.object_list, "page": page_, "query": query.urlencode(), "statuses": statuses, "status": status, "tag": tag,
        "can_post": can(actor, "feedback.post") and actor.is_member, "can_vote": can(actor, "feedback.vote"),
    }  # fmt: skip
    return page(request, "feedback/board.html", context)


@community_page("feedback.post")
def idea_new(request, community_slug, board_slug):
    community, actor = request.community, request.actor
    the_board = selectors.access_board(community=community, actor=actor, slug=board_slug)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = idea_services.idea_post(community=community, actor=actor, board=the_board, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Your idea is posted. Others can vote for it now.")
            return redirect(f"{NS}:idea", community_slug=community_slug, idea_id=idea.pk)
    return page(request, "feedback/idea_new.html", {"board": the_board, "form": form})


@community_page("feedback.read")
def similar(request, community_slug, board_slug):
    """JSON for the new-idea form: live ideas of the board like what the member is typing."""
    community, actor = request.community, request.actor
    the_board = selectors.access_board(community=community, actor=actor, slug=board_slug)
    found = selectors.similar_ideas(
        community=community, actor=actor, board=the_board, text=request.GET.get("q", "")[:500]
    )
    return JsonResponse(
        {
            "ideas": [
                {
                    "id": i.pk,
                    "title": i.topic.title,
                    "votes": i.vote_count,
                    "status": i.status.name,
                    "url": reverse(f"{NS}:idea", kwargs={"community_slug": community.slug, "idea_id": i.pk}),
                }
                for i in found
            ]
        }
    )


@community_page("feedback.read")
@anonymous_page_cache
def idea(request, community_slug, idea_id):
    community, actor = request.community, request.actor
    the_idea = selectors.access_idea(community=community, actor=actor, idea_id=idea_id)
    if the_idea.merged_into_id:
        return redirect(f"{NS}:idea", community_slug=community_slug, idea_id=the_idea.merged_into_id)
    my_vote = following = None
    if actor.is_member:
        my_vote = Vote.objects.for_community(community).filter(idea=the_idea, member=actor.member).first()
        following = Follower.objects.for_community(community).filter(idea=the_idea, member=actor.member).exists()
    context = {
        "idea": the_idea,
        "topic": the_idea.topic,
        "replies": list(reply_list(community=community, topic=the_idea.topic).filter(deleted_at__isnull=True)[:100]),
        "evidence": list(selectors.evidence_list(community=community, idea=the_idea)[:100]),
        "reach": selectors.idea_reach(community=community, idea=the_idea),
        "my_vote": my_vote,
        "following": following,
        "vote_form": VoteForm(initial={"importance": my_vote.importance if my_vote else "nice"}),
        "can_vote": can(actor, "feedback.vote") and actor.is_member,
        "can_manage": can(actor, "feedback.manage"),
    }
    return page(request, "feedback/idea.html", context)


@require_POST
@community_page("feedback.vote")
def idea_vote(request, community_slug, idea_id):
    community, actor = request.community, request.actor
    the_idea = selectors.access_idea(community=community, actor=actor, idea_id=idea_id, live=True)
    try:
        if request.POST.get("do") == "unvote":
            vote_services.vote_remove(community=community, actor=actor, idea=the_idea)
            messages.success(request, "Your vote is removed.")
        else:
            form = VoteForm(request.POST)
            importance = form.cleaned_data.get("importance") if form.is_valid() else ""
            vote_services.vote_cast(community=community, actor=actor, idea=the_idea, importance=importance or "nice")
            messages.success(request, "Thanks: your vote counts.")
    except ServiceError as error:
        return error_page(request, error)
    return redirect(f"{NS}:idea", community_slug=community_slug, idea_id=the_idea.pk)


@require_POST
@community_page("feedback.read")
def idea_follow(request, community_slug, idea_id):
    community, actor = request.community, request.actor
    the_idea = selectors.access_idea(community=community, actor=actor, idea_id=idea_id, live=True)
    try:
        idea_services.idea_follow(
            community=community, actor=actor, idea=the_idea, follow=request.POST.get("do") != "unfollow"
        )
    except ServiceError as error:
        return error_page(request, error)
    return redirect(f"{NS}:idea", community_slug=community_slug, idea_id=the_idea.pk)


@community_page("feedback.read")
@anonymous_page_cache
def roadmap(request, community_slug):
    columns = selectors.roadmap(community=request.community, actor=request.actor)
    return page(request, "feedback/roadmap.html", {"columns": columns})


@community_page("feedback.read")
@anonymous_page_cache
def changelog(request, community_slug):
    entries = list(selectors.changelog_list(community=request.community, actor=request.actor)[:50])
    return page(request, "feedback/changelog.html", {"entries": entries})
