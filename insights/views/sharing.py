"""Share links of the insights dashboard: the managers' page (create, list, revoke) and the public read-only view."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.selectors import community_find_by_slug
from community.tenancy import community_scope
from community.views.manage import dashboard_render
from community.views.scoping import community_page
from insights.selectors import access_share, share_list
from insights.services.sharing import MAX_DAYS_VALID, share_create, share_open, share_revoke, share_token

from .dashboard import dashboard_context


class ShareForm(forms.Form):
    label = forms.CharField(max_length=120, required=False, help_text="Who it is for, e.g. 'Board, Q1 review'.")
    days_valid = forms.IntegerField(min_value=1, max_value=MAX_DAYS_VALID, initial=30, label="Open for (days)")


def _link(request, share) -> str:
    path = reverse("community:insights_shared:shared_dashboard", args=[request.community.slug, share_token(share)])
    return request.build_absolute_uri(path)


@community_page("insights.share")
def share_page(request, community_slug):
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        filters = {k: v for k, v in request.GET.items()}
        try:
            share = share_create(
                community=request.community, actor=request.actor, filters=filters,
                days_valid=form.cleaned_data["days_valid"], label=form.cleaned_data["label"],
            )  # fmt: skip
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Link created: anyone with it sees this read-only view until it expires.")
            return redirect(reverse("community:insights:shares", args=[community_slug]) + f"#share-{share.pk}")
    now = timezone.now()
    shares = [
        {"share": s, "link": _link(request, s), "open": s.revoked_at is None and s.expires_at > now}
        for s in share_list(community=request.community)
    ]
    context = {"form": form, "shares": shares, "query": request.GET.urlencode()}
    return dashboard_render(request, "insights/shares.html", context)


@require_POST
@community_page("insights.share")
def share_revoke_view(request, community_slug, share_id):
    share = access_share(community=request.community, share_id=share_id)
    try:
        share_revoke(community=request.community, actor=request.actor, share=share)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, "Link revoked: it no longer opens.")
    return redirect("community:insights:shares", community_slug=community_slug)


def shared_dashboard(request, community_slug, token):
    """The public read-only dashboard of a share link: no filters, no CSV, no member names; 404 alike for a
    forged, revoked or expired link and for a community that does not exist."""
    community = community_find_by_slug(community_slug)
    if community is None:
        raise Http404("No such link.")
    with community_scope(community.pk):
        share = share_open(community=community, token=token)
        if share is None:
            raise Http404("No such link.")
        request.community = community
        context = dashboard_context(request, share.filters)
    context.update({
        "community": community, "shared": True, "share": share, "base_template": "insights/shared_base.html",
    })  # fmt: skip
    response = render(request, "insights/dashboard.html", context)
    response["Cache-Control"] = "no-store"  # a revoked link stops at once, in browsers and proxies alike
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
