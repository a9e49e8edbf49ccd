"""The manager dashboard shell (/c/<slug>/manage/): overview, members, invitations, API keys, settings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from community import registry
from community.errors import ServiceError
from community.forms import ApiKeyForm, CommunitySettingsForm, InvitationForm, MemberRoleForm
from community.models import MemberStatus
from community.policy import can
from community.selectors import access_member, api_key_list, invitation_list, member_list
from community.services import api_keys as api_key_services
from community.services import communities as community_services
from community.services import domains as domain_services
from community.services import invitations as invitation_services
from community.services import members as member_services

from .scoping import community_page


def dashboard_nav(actor) -> list[tuple[str, str]]:
    """The dashboard menu: every registered entry (community/registry.py) the actor's role may open."""
    return [(entry.label, entry.url_name) for entry in registry.menu_entries() if can(actor, entry.action)]


def activity_menu(actor) -> list[tuple[str, str]]:
    """The links each activity row offers (community/registry.py activity_actions) that the actor may follow."""
    return [(entry.label, entry.url_name) for entry in registry.activity_actions() if can(actor, entry.action)]


def dashboard_render(request, template, context=None, status=200):
    """Render a dashboard page with the menu; every app's dashboard views render through this."""
    base = {
        "community": request.community,
        "actor": request.actor,
        "nav": dashboard_nav(request.actor),
        "activity_menu": activity_menu(request.actor),
    }
    return render(request, template, {**base, **(context or {})}, status=status)


@community_page("dashboard.view")
def manage_home(request, community_slug):
    members = member_list(community=request.community)
    stats = {
        "members": members.filter(status=MemberStatus.ACTIVE).count(),
        "pending": members.filter(status=MemberStatus.PENDING).count(),
        "invitations": invitation_list(community=request.community).count(),
    }
    return dashboard_render(request, "community/manage/home.html", {"stats": stats})


@require_POST
@community_page("members.update")
def manage_member_update(request, community_slug, member_id):
    member = access_member(community=request.community, member_id=member_id)
    try:
        if "approve" in request.POST:
            member_services.member_approve(community=request.community, actor=request.actor, member=member)
            messages.success(request, f"{member.display_name} joined.")
        elif "decline" in request.POST:
            member_services.member_decline(community=request.community, actor=request.actor, member=member)
            messages.success(request, f"The request from {member.display_name} was turned down.")
        else:
            form = MemberRoleForm(request.POST)
            if not form.is_valid():
                raise ServiceError("Choose a valid role.")
            member_services.member_update(
                community=request.community, actor=request.actor, member=member, role=form.cleaned_data["role"]
            )
            messages.success(request, f"{member.display_name} is now {member.get_role_display()}.")
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("community:manage_members", community_slug=community_slug)


@community_page("invitations.manage")
def manage_invitations(request, community_slug):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_services.invitation_create(
                community=request.community,
                actor=request.actor,
                **form.cleaned_data,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("community:manage_invitations", community_slug=community_slug)
    invitations = list(invitation_list(community=request.community))
    return dashboard_render(request, "community/manage/invitations.html", {"form": form, "invitations": invitations})


@community_page("api_keys.manage")
def manage_api_keys(request, community_slug):
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and "revoke" in request.POST:
        key = api_key_list(community=request.community).filter(pk=request.POST.get("revoke")).first()
        if key is not None:
            api_key_services.api_key_revoke(community=request.community, actor=request.actor, api_key=key)
            messages.info(request, f"Key {key.prefix}… revoked.")
        return redirect("community:manage_api_keys", community_slug=community_slug)
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = api_key_services.api_key_create(
                community=request.community, actor=request.actor, **form.cleaned_data
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            form = ApiKeyForm()
    keys = list(api_key_list(community=request.community))
    return dashboard_render(request, "community/manage/api_keys.html", {"form": form, "keys": keys, "new_key": new_key})


@community_page("community.update")
def manage_settings(request, community_slug):
    community = request.community
    if request.method == "POST" and request.POST.get("action") == "verify_domain":
        try:
            domain_services.domain_verify(community=community, actor=request.actor)
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{community.domain} is verified: the community is now served there.")
        return redirect("community:manage_settings", community_slug=community_slug)
    initial = {f: getattr(community, f) for f in ("name", "description", "visibility", "domain")}
    form = CommunitySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            community_services.community_update(community=community, actor=request.actor, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        except ValidationError as error:
            form.add_error(None, "; ".join(error.messages))
        else:
            messages.success(request, "Settings saved.")
            return redirect("community:manage_settings", community_slug=community_slug)
    context = {
        "form": form,
        "challenge": domain_services.domain_challenge(community),
        "panels": [panel(request) for panel in registry.settings_panels()],
    }
    return dashboard_render(request, "community/manage/settings.html", context)
