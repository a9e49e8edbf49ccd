"""Staff pages: prioritisation (with CSV), an idea's actions (status, response, merge, vote on behalf, evidence),
boards, the changelog, and an activity made evidence or a new idea."""

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect

from community.csv_cells import csv_row
from community.errors import ServiceError
from community.models import Activity
from community.selectors import access_member
from community.selectors.activities import access_activity
from community.selectors.members import segment_list
from community.views.manage import dashboard_render
from community.views.scoping import community_page

from .. import selectors
from ..forms import BoardForm, ChangelogForm, ResponseForm
from ..models import Idea, IdeaStatus, Importance
from ..services import boards as board_services
from ..services import changelog as changelog_services
from ..services import evidence as evidence_services
from ..services import ideas as idea_services
from ..services import merges as merge_services
from ..services import votes as vote_services
from .common import NS

PAGE_SIZE = 100
SORTS = (("votes", "Votes"), ("members", "Unique members"), ("trend", "Votes in the last 30 days"))


def _int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None


@community_page("feedback.prioritise")
def prioritise(request, community_slug):
    community, actor = request.community, request.actor
    boards = list(selectors.board_list(community=community, actor=actor))
    statuses = selectors.status_list(community=community)
    board_slug, status = request.GET.get("board", ""), request.GET.get("status", "")
    board = next((b for b in boards if b.slug == board_slug), None)
    status = status if status in {s.key for s in statuses} else ""
    tag, sort = request.GET.get("tag", "")[:40], request.GET.get("sort", "votes")
    segments = list(segment_list(community=community)[:200])
    segment = next((sg for sg in segments if sg.pk == _int(request.GET.get("segment"))), None)
    ideas = selectors.prioritisation(
        community=community, actor=actor, board=board, status=status, tag=tag, sort=sort,
        segment_id=segment.pk if segment else None,
    )  # fmt: skip
    if request.GET.get("format") == "csv":
        return _csv(community, ideas[:5000])
    context = {
        "ideas": list(ideas[:PAGE_SIZE]), "boards": boards, "statuses": statuses, "board_slug": board_slug,
        "status": status, "tag": tag, "sort": sort, "sorts": SORTS, "query": request.GET.urlencode(),
        "segments": segments, "segment": segment,
    }  # fmt: skip
    return dashboard_render(request, "feedback/prioritise.html", context)


def _csv(community, ideas):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{community.slug}-ideas.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", "title", "board", "status", "votes", "important_or_critical", "unique_members",
                     "unique_organizations", "votes_last_30_days", "tags", "created_at"])  # fmt: skip
    for i in ideas:
        writer.writerow(
            csv_row(
                [
                    i.pk,
                    i.topic.title,
                    i.board.name,
                    i.status.name,
                    i.vote_count,
                    i.weighty_votes,
                    i.unique_members,
                    i.unique_organizations,
                    i.votes_30d,
                    " ".join(i.topic.tags),
                    i.created_at.isoformat(),
                ]
            )
        )
    return response


@community_page("feedback.manage")
def idea_manage(request, community_slug, idea_id):
    community, actor = request.community, request.actor
    idea = selectors.access_idea(community=community, actor=actor, idea_id=idea_id)
    if request.method == "POST":
        return _idea_post(request, idea)
    initial = {"response": idea.staff_response, "eta": idea.eta, "tracker_url": idea.tracker_url}
    others = list(selectors.idea_list(community=community, actor=actor, board=idea.board).exclude(pk=idea.pk)[:200])
    context = {
        "idea": idea, "statuses": selectors.status_list(community=community), "response_form": ResponseForm(initial=initial),
        "others": others, "importances": Importance.choices,
        "evidence": list(selectors.evidence_list(community=community, idea=idea)[:100]),
    }  # fmt: skip
    return dashboard_render(request, "feedback/idea_manage.html", context)


def _idea_post(request, idea: Idea):
    community, actor = request.community, request.actor
    what = request.POST.get("do", "")
    target_id = idea.pk
    try:
        if what == "status":
            status = IdeaStatus.objects.for_community(community).filter(key=request.POST.get("status", "")).first()
            if status is None:
                raise ServiceError("Choose a status.", field="status")
            idea_services.idea_status_change(community=community, actor=actor, idea=idea, status=status)
            messages.success(request, f"Status is now {status.name}; voters and followers are told.")
        elif what == "respond":
            form = ResponseForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Check the response, the date and the link.")
            idea_services.idea_respond(community=community, actor=actor, idea=idea, **form.cleaned_data)
            messages.success(request, "Response saved.")
        elif what == "merge":
            if request.POST.get("confirm") != "yes":
                raise ServiceError("Tick the box to confirm the merge.")
            target = selectors.access_idea(
                community=community, actor=actor, idea_id=_int(request.POST.get("target")) or 0
            )
            merged = merge_services.idea_merge(community=community, actor=actor, source=idea, target=target)
            target_id = merged.pk
            messages.success(request, f"Merged: the idea now has {merged.vote_count} votes.")
        elif what == "vote_behalf":
            member = access_member(community=community, member_id=_int(request.POST.get("member_id")) or 0)
            vote_services.vote_cast(community=community, actor=actor, idea=idea, member=member,
                                    importance=request.POST.get("importance") or "nice")  # fmt: skip
            messages.success(request, f"Vote recorded for {member.display_name}.")
        elif what == "evidence":
            activity = access_activity(community=community, activity_id=_int(request.POST.get("activity_id")) or 0)
            evidence_services.evidence_attach(community=community, actor=actor, idea=idea, activity=activity,
                                              note=request.POST.get("note", ""))  # fmt: skip
            messages.success(request, "Evidence attached.")
        else:
            raise ServiceError("Unknown action.")
    except ServiceError as error:
        messages.error(request, error.message)
    except Http404:
        messages.error(request, "No such idea, member or activity.")
    return redirect(f"{NS}:idea_manage", community_slug=community.slug, idea_id=target_id)


@community_page("feedback.manage")
def boards_manage(request, community_slug):
    community, actor = request.community, request.actor
    form = BoardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            board = board_services.board_create(community=community, actor=actor, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Board {board.name} created.")
            return redirect(f"{NS}:boards_manage", community_slug=community_slug)
    boards = list(selectors.board_list(community=community, actor=actor))
    return dashboard_render(request, "feedback/boards_manage.html", {"form": form, "boards": boards})


@community_page("feedback.manage")
def changelog_new(request, community_slug):
    community, actor = request.community, request.actor
    form = ChangelogForm(request.POST or None, initial={"idea_id": _int(request.GET.get("idea"))})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = None
            if data["idea_id"]:
                idea = Idea.objects.for_community(community).filter(pk=data["idea_id"]).first()
                if idea is None:
                    raise ServiceError("No such idea.", field="idea_id")
            changelog_services.changelog_entry_create(
                community=community, actor=actor, title=data["title"], body=data["body"], idea=idea
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Changelog entry published.")
            return redirect(f"{NS}:changelog", community_slug=community_slug)
    return dashboard_render(request, "feedback/changelog_new.html", {"form": form})


@community_page("feedback.manage")
def activity_feedback(request, community_slug, activity_id):
    """From an activity's menu (stream, member timeline, inbox): attach it to an idea, or make it a new idea."""
    community, actor = request.community, request.actor
    activity: Activity = access_activity(community=community, activity_id=activity_id)
    boards = list(selectors.board_list(community=community, actor=actor))
    if request.method == "POST":
        try:
            if request.POST.get("do") == "new":
                board = selectors.access_board(
                    community=community, actor=actor, board_id=_int(request.POST.get("board")) or 0
                )
                idea = evidence_services.idea_from_activity(
                    community=community, actor=actor, board=board, activity=activity,
                    title=request.POST.get("title", ""),
                )  # fmt: skip
            else:
                idea = selectors.access_idea(
                    community=community, actor=actor, idea_id=_int(request.POST.get("idea_id")) or 0, live=True
                )
                evidence_services.evidence_attach(community=community, actor=actor, idea=idea, activity=activity,
                                                  note=request.POST.get("note", ""))  # fmt: skip
        except ServiceError as error:
            messages.error(request, error.message)
        except Http404:
            messages.error(request, "No such board or idea.")
        else:
            messages.success(request, "Done: the activity counts as evidence for the idea.")
            return redirect(f"{NS}:idea_manage", community_slug=community_slug, idea_id=idea.pk)
    similar = []
    if boards and (activity.title or activity.body):
        for board in boards[:5]:
            similar += selectors.similar_ideas(community=community, actor=actor, board=board,
                                               text=f"{activity.title} {activity.body[:300]}", limit=3)  # fmt: skip
    return dashboard_render(
        request, "feedback/activity_feedback.html", {"activity": activity, "boards": boards, "similar": similar}
    )
