"""Writing pages and actions: new topic, reply, edit, delete, accept, vote, react, watch, moderate, drafts."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.views.scoping import community_page

from .. import permissions, selectors
from ..forms import EditForm, ModerateForm, ReplyForm, SpaceForm, TopicForm, WatchForm
from ..models import Reply, Topic
from ..services import drafts, engagement, replies, spaces, subscriptions, topics, uploads
from .common import NS, error_page, form_error, page
from .reading import topic_context

HELD = "Thanks: your post is waiting for a moderator's review and will appear once it is approved."


def _topic_url(request, topic: Topic, anchor: str = "") -> str:
    url = reverse(f"{NS}:topic", kwargs={"community_slug": request.community.slug, "topic_id": topic.pk})
    return f"{url}{anchor}"


def _reply_url(request, topic: Topic, reply: Reply) -> str:
    page_number = (reply.position - 1) // selectors.REPLIES_PER_PAGE + 1
    query = f"?page={page_number}" if page_number > 1 else ""
    return _topic_url(request, topic, f"{query}#r{reply.position}")


@community_page("discussions.post")
def topic_new(request, community_slug, space_slug):
    community, actor = request.community, request.actor
    space = selectors.access_space(community=community, actor=actor, slug=space_slug)
    key = f"topic:space:{space.pk}"
    if request.method == "POST":
        form = TopicForm(request.POST)
        if "save_draft" in request.POST:
            drafts.draft_save(
                community=community,
                actor=actor,
                key=key,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
            )
            messages.info(request, "Draft saved.")
            return page(request, "discussions/topic_new.html", {"form": form, "space": space, "draft_key": key})
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = topics.topic_create(
                    community=community,
                    actor=actor,
                    space=space,
                    title=data["title"],
                    body=data["body"],
                    kind=data["kind"],
                    tags=data["tags"],
                    poll_options=data["poll_options"].splitlines(),
                    poll_multiple=data["poll_multiple"],
                    poll_closes_at=data["poll_closes_at"],
                    poll_results=data["poll_results"] or "always",
                    publish_at=data["publish_at"],
                )
            except ServiceError as error:
                form_error(form, error)
            else:
                drafts.draft_clear(community=community, actor=actor, key=key)
                if topic.deleted_at is not None:
                    messages.info(request, HELD)
                    return redirect(f"{NS}:space", community_slug=community.slug, space_slug=space.slug)
                if topic.status == "scheduled":
                    messages.success(request, f"Scheduled for {topic.publish_at:%Y-%m-%d %H:%M} UTC.")
                return redirect(_topic_url(request, topic))
        return page(request, "discussions/topic_new.html", {"form": form, "space": space, "draft_key": key}, 400)
    if not permissions.can_start_topic(actor, space):
        return error_page(request, ServiceError(f"You may not start topics in {space.name}.", code="permission_denied"))
    draft = drafts.draft_get(community=community, actor=actor, key=key)
    form = TopicForm(initial={"title": draft.title, "body": draft.body} if draft else None)
    return page(request, "discussions/topic_new.html", {"form": form, "space": space, "draft_key": key})


@require_POST
@community_page("discussions.post")
def reply_create(request, community_slug, topic_id):
    community, actor = request.community, request.actor
    topic = selectors.access_topic(community=community, actor=actor, topic_id=topic_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reply_to = _optional_reply(request, topic, data["reply_to"])
            quote_of = _optional_reply(request, topic, data["quote_of"])
            reply = replies.reply_create(
                community=community, actor=actor, topic=topic, body=data["body"], reply_to=reply_to, quote_of=quote_of
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            drafts.draft_clear(community=community, actor=actor, key=selectors.draft_key(topic))
            if reply.deleted_at is not None:
                messages.info(request, HELD)
                return redirect(_topic_url(request, topic))
            return redirect(_reply_url(request, topic, reply))
    return topic_context(request, topic, reply_form=form, status=400)


def _optional_reply(request, topic, reply_id):
    if not reply_id:
        return None
    reply = selectors.access_reply(community=request.community, actor=request.actor, reply_id=reply_id)
    if reply.topic_id != topic.pk:
        raise ServiceError("Reply to a post of this topic.", field="body")
    return reply


@community_page("discussions.post")
def topic_edit(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    form = EditForm(request.POST or None, initial={"title": topic.title, "body": topic.body})
    if request.method == "POST" and form.is_valid():
        try:
            topics.topic_update(
                community=request.community,
                actor=request.actor,
                topic=topic,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            if topic.deleted_at is not None:
                messages.info(request, HELD)
                return redirect(f"{NS}:space", community_slug=request.community.slug, space_slug=topic.space.slug)
            return redirect(_topic_url(request, topic))
    status = 400 if request.method == "POST" else 200
    return page(request, "discussions/edit.html", {"form": form, "topic": topic, "editing": "topic"}, status)


@community_page("discussions.post")
def reply_edit(request, community_slug, reply_id):
    reply = selectors.access_reply(community=request.community, actor=request.actor, reply_id=reply_id)
    form = EditForm(request.POST or None, initial={"body": reply.body})
    form.fields.pop("title")
    if request.method == "POST" and form.is_valid():
        try:
            replies.reply_update(
                community=request.community, actor=request.actor, reply=reply, body=form.cleaned_data["body"]
            )
        except ServiceError as error:
            form_error(form, error)
        else:
            if reply.deleted_at is not None:
                messages.info(request, HELD)
                return redirect(_topic_url(request, reply.topic))
            return redirect(_reply_url(request, reply.topic, reply))
    status = 400 if request.method == "POST" else 200
    return page(request, "discussions/edit.html", {"form": form, "topic": reply.topic, "editing": "reply"}, status)


@require_POST
@community_page("discussions.post")
def reply_delete(request, community_slug, reply_id):
    reply = selectors.access_reply(community=request.community, actor=request.actor, reply_id=reply_id)
    try:
        replies.reply_delete(community=request.community, actor=request.actor, reply=reply)
    except ServiceError as error:
        return error_page(request, error)
    return redirect(_reply_url(request, reply.topic, reply))


@require_POST
@community_page("discussions.post")
def answer_accept(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    try:
        reply = _optional_reply(request, topic, request.POST.get("reply_id"))
        replies.answer_accept(community=request.community, actor=request.actor, topic=topic, reply=reply)
    except (ServiceError, ValueError) as error:
        return error_page(request, error if isinstance(error, ServiceError) else ServiceError("Choose a reply."))
    return redirect(_topic_url(request, topic))


@require_POST
@community_page("discussions.post")
def poll_vote(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    try:
        if not hasattr(topic, "poll"):
            raise ServiceError("This topic has no poll.", code="not_found")
        option_ids = [int(i) for i in request.POST.getlist("option")]
        engagement.poll_vote(community=request.community, actor=request.actor, poll=topic.poll, option_ids=option_ids)
    except (ValueError, ServiceError) as error:
        error = error if isinstance(error, ServiceError) else ServiceError("Choose an option.")
        if request.headers.get("HX-Request") and hasattr(topic, "poll"):
            return _poll_partial(request, topic, error=error.message)
        return error_page(request, error)
    if request.headers.get("HX-Request"):  # htmx: answer with the updated poll only
        return _poll_partial(request, topic)
    messages.success(request, "Your vote was counted.")
    return redirect(_topic_url(request, topic, "#poll"))


def _poll_partial(request, topic, error: str = ""):
    # htmx swaps only 2xx answers, so a refused vote comes back as the poll with its message in it.
    context = {
        "community": request.community,
        "actor": request.actor,
        "topic": topic,
        "poll": selectors.poll_results(community=request.community, actor=request.actor, topic=topic),
        "poll_error": error,
    }
    return render(request, "discussions/_poll.html", context)


@require_POST
@community_page("discussions.post")
def react(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    try:
        reply = _optional_reply(request, topic, request.POST.get("reply_id"))
        engagement.reaction_toggle(
            community=request.community,
            actor=request.actor,
            topic=topic,
            reply=reply,
            emoji=request.POST.get("emoji", ""),
        )
    except ServiceError as error:
        return error_page(request, error)
    if request.headers.get("HX-Request"):  # htmx: answer with the updated reaction bar only
        summary = selectors.reaction_summary(
            community=request.community, actor=request.actor, topic=topic, reply_ids=[reply.pk] if reply else []
        )
        context = {
            "community": request.community,
            "actor": request.actor,
            "topic": topic,
            "reply": reply,
            "list": summary.get(reply.pk if reply else None, []),
            "reaction_set": engagement.reaction_set(request.community),
        }
        return render(request, "discussions/_reactions.html", context)
    return redirect(_reply_url(request, topic, reply) if reply else _topic_url(request, topic))


@require_POST
@community_page("discussions.post")
def bookmark(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    try:
        added = engagement.bookmark_toggle(community=request.community, actor=request.actor, topic=topic)
    except ServiceError as error:
        return error_page(request, error)
    messages.info(request, "Bookmarked." if added else "Bookmark removed.")
    return redirect(_topic_url(request, topic))


@require_POST
@community_page("discussions.post")
def watch(request, community_slug, topic_id):
    topic = selectors.access_topic(community=request.community, actor=request.actor, topic_id=topic_id)
    form = WatchForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Choose watching, normal or muted.", field="level")
        subscriptions.subscription_set(
            community=request.community, actor=request.actor, topic=topic, level=form.cleaned_data["level"]
        )
    except ServiceError as error:
        return error_page(request, error)
    return redirect(_topic_url(request, topic))


@require_POST
@community_page("discussions.moderate")
def moderate(request, community_slug, topic_id):
    community, actor = request.community, request.actor
    topic = selectors.access_topic(community=community, actor=actor, topic_id=topic_id)
    form = ModerateForm(request.POST)
    try:
        if not form.is_valid():
            raise ServiceError("Check the moderation form.")
        data = form.cleaned_data
        if data["merge_into"]:
            target = selectors.access_topic(community=community, actor=actor, topic_id=data["merge_into"])
            topics.topic_merge(community=community, actor=actor, source=topic, target=target)
            messages.success(request, "Topics merged.")
            return redirect(_topic_url(request, target))
        space = (
            selectors.access_space(community=community, actor=actor, space_id=data["space"]) if data["space"] else None
        )
        topics.topic_moderate(
            community=community,
            actor=actor,
            topic=topic,
            pin=data["pin"] or "",
            locked=data["locked"],
            archived=data["archived"],
            space=space,
        )
    except ServiceError as error:
        return error_page(request, error)
    messages.success(request, "Topic updated.")
    return redirect(_topic_url(request, topic))


@require_POST
@community_page("discussions.moderate")
def split(request, community_slug, topic_id):
    community, actor = request.community, request.actor
    topic = selectors.access_topic(community=community, actor=actor, topic_id=topic_id)
    try:
        ids = [int(i) for i in request.POST.getlist("reply_ids")]
        new = topics.topic_split(
            community=community, actor=actor, topic=topic, reply_ids=ids, title=request.POST.get("title", "")
        )
    except ValueError:
        return error_page(request, ServiceError("Choose replies to split out."))
    except ServiceError as error:
        return error_page(request, error)
    return redirect(_topic_url(request, new))


@require_POST
@community_page("discussions.post")
def draft_save(request, community_slug):
    """Autosave (htmx) or explicit save: answers 200 with a short status for the live region."""
    try:
        drafts.draft_save(
            community=request.community,
            actor=request.actor,
            key=request.POST.get("draft_key", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        )
    except ServiceError as error:
        return HttpResponse(error.message, status=400)
    return HttpResponse("Draft saved.")


@require_POST
@community_page("discussions.post")
def upload(request, community_slug):
    # static/js/uploads.js asks for JSON; a browser without script posts the form and is sent back with a message.
    wants_json = "application/json" in request.headers.get("Accept", "")
    back = request.headers.get("Referer") or reverse(f"{NS}:latest", args=[community_slug])
    file = request.FILES.get("file")
    try:
        if file is None:
            raise ServiceError("Choose an image to upload.", field="file")
        item = uploads.upload_create(community=request.community, actor=request.actor, file=file)
    except ServiceError as error:
        if not wants_json:
            messages.error(request, error.message)
            return redirect(back)
        return JsonResponse({"error": error.message}, status=429 if error.code == "rate_limited" else 400)
    markdown = f"![image]({item.file.url})"
    if not wants_json:
        messages.success(request, f"Image uploaded. Put this in your post where it should appear: {markdown}")
        return redirect(back)
    return JsonResponse({"url": item.file.url, "markdown": markdown}, status=201)


@community_page("discussions.manage")
def space_new(request, community_slug):
    form = SpaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = spaces.space_create(community=request.community, actor=request.actor, **form.cleaned_data)
        except ServiceError as error:
            form_error(form, error)
        else:
            return redirect(f"{NS}:space", community_slug=community_slug, space_slug=space.slug)
    status = 400 if request.method == "POST" else 200
    return page(request, "discussions/space_new.html", {"form": form}, status)
