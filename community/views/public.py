"""Public pages: the landing page, a community's home, joining and leaving, health."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.forms import CommunityCreateForm
from community.page_cache import anonymous_page_cache
from community.selectors import communities_of_user, community_get_by_slug, public_communities
from community.selectors.health import health_checks
from community.services import communities as community_services
from community.services import invitations as invitation_services
from community.services import members as member_services
from community.tenancy import community_scope

from .scoping import community_page


def landing(request):
    mine = communities_of_user(request.user) if request.user.is_authenticated else []
    return render(request, "community/landing.html", {"mine": mine, "public": public_communities()})


@login_required
def community_create(request):
    form = CommunityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = community_services.community_create(owner=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"{community.name} is ready. Invite your team next.")
            return redirect("community:manage_home", community_slug=community.slug)
    return render(request, "community/community_create.html", {"form": form})


@community_page("community.view")
@anonymous_page_cache
def community_home(request, community_slug):
    return render(request, "community/home.html", {"community": request.community, "actor": request.actor})


@login_required
@require_POST
def community_join(request, community_slug):
    """Join a public community, or ask to join a private one (which the asker cannot see yet)."""
    community = community_get_by_slug(community_slug)
    with community_scope(community.pk):
        try:
            member = member_services.member_join(community=community, user=request.user)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if member.is_active:
                messages.success(request, f"Welcome to {community.name}!")
            else:
                messages.info(request, "Your request to join was sent to the community's staff.")
    return redirect("community:home", community_slug=community_slug)


@login_required
@require_POST
@community_page("community.view")
def community_leave(request, community_slug):
    if request.actor.member is not None:
        try:
            member_services.member_leave(community=request.community, member=request.actor.member)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.info(request, f"You left {request.community.name}.")
    return redirect("community:home", community_slug=community_slug)


@login_required
def invitation_accept(request, community_slug, token):
    community = community_get_by_slug(community_slug)
    with community_scope(community.pk):
        try:
            invitation = invitation_services.invitation_from_token(community=community, token=token)
            if request.method == "POST":
                invitation_services.invitation_accept(community=community, token=token, user=request.user)
                messages.success(request, f"You joined {community.name}.")
                return redirect("community:home", community_slug=community.slug)
        except ServiceError as error:
            if error.code == "not_found":  # a forged or foreign link learns nothing, not even the name
                raise Http404(error.message) from None
            return render(
                request, "community/invitation.html", {"community": community, "error": error.message}, status=400
            )
        return render(request, "community/invitation.html", {"community": community, "invitation": invitation})


def healthz(request):
    """Database and broker reachable: 200 with details, 503 otherwise."""
    checks = health_checks()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503)
