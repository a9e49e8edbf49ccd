"""Reading pages: latest / top / unanswered, spaces, the topic page, search, profiles, bookmarks."""

import math

from django.http import Http404
from django.shortcuts import redirect

from community.page_cache import anonymous_page_cache
from community.views.scoping import community_page

from .. import permissions, selectors
from ..forms import ModerateForm, ReplyForm, SearchForm
from ..models import Level, TopicKind
from ..services import engagement
from .common import NS, page

TABS = [("latest", "Latest"), ("top", "Top"), ("unanswered", "Unanswered")]


def _topic_list_page(request, view: str, space=None):
    period = request.GET.get("period", "all")
    if period not in selectors.PERIODS:
        period = "all"
    tag = request.GET.get("tag", "")[:40]
    topics = list(
        selectors.topic_list(
            community=request.community, actor=request.actor, view=view, period=period, space=space, tag=tag
        )[: selectors.TOPICS_PER_PAGE]
    )
    spaces = list(selectors.space_list(community=request.community, actor=request.actor))
    can_start = space is not None and permissions.can_start_topic(request.actor, space)
    return page(
        request,
        "discussions/index.html",
        {
            "topics": topics,
            "spaces": spaces,
            "space": space,
            "view": view,
            "period": period,
            "tabs": TABS,
            "tag": tag,
            "can_start": can_start,
            "periods": list(selectors.PERIODS),
        },
    )


@community_page("discussions.read")
@anonymous_page_cache
def latest(request, community_slug):
    return _topic_list_page(request, "latest")


@community_page("discussions.read")
@anonymous_page_cache
def top(request, community_slug):
    return _topic_list_page(request, "top")


@community_page("discussions.read")
@anonymous_page_cache
def unanswered(request, community_slug):
    return _topic_list_page(request, "unanswered")


@community_page("discussions.read")
@anonymous_page_cache
def space_topics(request, community_slug, space_slug):
    space = selectors.access_space(community=request.community, actor=request.actor, slug=space_slug)
    view = request.GET.get("view", "latest")
    return _topic_list_page(request, view if view in dict(TABS) else "latest", space=space)


def topic_context(request, topic, reply_form=None, status=200):
    community, actor = request.community, request.actor
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page_number = 1
    pages = max(1, math.ceil(topic.reply_count / selectors.REPLIES_PER_PAGE))
    page_number = min(page_number, pages)
    start = (page_number - 1) * selectors.REPLIES_PER_PAGE
    replies = list(selectors.reply_list(community=community, topic=topic)[start : start + selectors.REPLIES_PER_PAGE])
    reactions = selectors.reaction_summary(
        community=community, actor=actor, topic=topic, reply_ids=[reply.pk for reply in replies]
    )
    for reply in replies:
        reply.reaction_list = reactions.get(reply.pk, [])
    mine = selectors.reader_state(community=community, actor=actor, topic=topic)
    seen = mine.seen
    first_unread = None
    if seen is not None:
        first_unread = next((r for r in replies if r.position > seen), None)
    position = replies[-1].position if replies else 0
    if actor.is_member and (seen is None or seen < position):  # a re-read writes nothing, not even a round trip
        engagement.topic_mark_read(community=community, actor=actor, topic=topic, position=position)
    if reply_form is None:
        reply_form = ReplyForm(initial={"body": mine.draft})
    can_accept = topic.kind == TopicKind.QUESTION and (
        permissions.is_moderator(actor) or (actor.is_member and actor.member.pk == topic.author_id)
    )
    return page(
        request,
        "discussions/topic.html",
        {
            "topic": topic,
            "replies": replies,
            "topic_reactions": reactions.get(None, []),
            "reaction_set": engagement.reaction_set(community),
            "page_number": page_number,
            "pages": range(1, pages + 1),
            "page_count": pages,
            "first_unread": first_unread,
            "seen": seen,
            "poll": selectors.poll_results(community=community, actor=actor, topic=topic),
            "level": mine.level,
            "levels": Level.choices,
            "bookmarked": mine.bookmarked,
            "related": selectors.related_topics(community=community, actor=actor, topic=topic),
            "reply_form": reply_form,
            "draft_key": selectors.draft_key(topic),
            "can_reply": actor.is_member and permissions.can_reply(actor, topic),
            "can_edit_topic": permissions.can_edit(actor, topic.author_id),
            "can_accept": can_accept,
            "is_moderator": permissions.is_moderator(actor),
            "moderate_form": ModerateForm(
                initial={"pin": topic.pin, "locked": topic.locked, "archived": topic.archived}
            ),
            "spaces": list(selectors.space_list(community=community, actor=actor))
            if permissions.is_moderator(actor)
            else [],
            "canonical": request.build_absolute_uri(request.path),
        },
        status=status,
    )


@community_page("discussions.read")
@anonymous_page_cache
def topic_detail(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    if topic.merged_into_id:
        return redirect(f"{NS}:topic", community_slug=community_slug, topic_id=topic.merged_into_id)
    return topic_context(request, topic)


@community_page("discussions.read")
@anonymous_page_cache
def search(request, community_slug):
    form = SearchForm(request.GET or None)
    hits, searched = [], False
    if form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        space = None
        if data["space"]:
            space = selectors.access_space(community=request.community, actor=request.actor, slug=data["space"])
        solved = {"yes": True, "no": False}.get(data["solved"])
        hits = selectors.search(
            community=request.community,
            actor=request.actor,
            q=data["q"],
            space=space,
            tag=data["tag"],
            author_id=data["author"],
            kind=data["kind"],
            solved=solved,
            since=data["since"],
            until=data["until"],
        )
        searched = True
    spaces = list(selectors.space_list(community=request.community, actor=request.actor))
    return page(
        request, "discussions/search.html", {"form": form, "hits": hits, "searched": searched, "spaces": spaces}
    )


@community_page("discussions.read")
@anonymous_page_cache
def member_profile(request, community_slug, member_id):
    context = selectors.member_profile(community=request.community, actor=request.actor, member_id=member_id)
    return page(request, "discussions/profile.html", context)


@community_page("discussions.post")
def bookmarks(request, community_slug):
    if not request.actor.is_member:
        raise Http404
    topics = list(selectors.bookmark_list(community=request.community, actor=request.actor)[:100])
    return page(request, "discussions/bookmarks.html", {"topics": topics})
