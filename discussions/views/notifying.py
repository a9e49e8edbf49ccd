"""The bell (in-app notifications), email preferences and the signed one-click unsubscribe."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from community.errors import ServiceError
from community.policy import Actor
from community.selectors import community_get_by_slug
from community.tenancy import community_scope
from community.views.scoping import community_page

from .. import selectors
from ..forms import PreferenceForm
from ..services import notifications
from .common import NS, page


@community_page("discussions.post")
def notification_list(request, community_slug):
    actor = request.actor
    if request.method == "POST":
        notifications.notification_mark_read(community=request.community, actor=actor)
        return redirect(f"{NS}:notifications", community_slug=community_slug)
    items = list(selectors.notification_list(community=request.community, member=actor.member)[:50])
    return page(request, "discussions/notifications.html", {"items": items})


@community_page("discussions.post")
def preferences(request, community_slug):
    pref = notifications.preference_get(community=request.community, member=request.actor.member)
    initial = {f: getattr(pref, f) for f in ("email_replies", "email_mentions", "auto_watch", "digest")}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notifications.preference_update(community=request.community, actor=request.actor, **form.cleaned_data)
        messages.success(request, "Preferences saved.")
        return redirect(f"{NS}:preferences", community_slug=community_slug)
    return page(request, "discussions/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session; the signed token is the credential
def unsubscribe(request, community_slug, token):
    community = community_get_by_slug(community_slug)
    with community_scope(community.pk):
        request.community, request.actor = community, Actor(community=community)
        if request.method == "POST":
            try:
                notifications.unsubscribe(community=community, token=token)
            except ServiceError as error:
                return render(request, "discussions/unsubscribe.html", {"error": error.message}, status=404)
            return render(request, "discussions/unsubscribe.html", {"community": community, "done": True})
        try:
            member = notifications.unsubscribe_member(community=community, token=token)
        except ServiceError as error:
            # An invalid link learns nothing about the community, not even its name.
            return render(request, "discussions/unsubscribe.html", {"error": error.message}, status=404)
        context = {"community": community, "token": token, "what": member.unsubscribe_what}
        return render(request, "discussions/unsubscribe.html", context)
