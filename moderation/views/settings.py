"""Moderation's panel on the community settings page: the screening thresholds and the flags that hide a post."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from community.errors import ServiceError
from community.views.scoping import community_page

from ..forms import ThresholdsForm
from ..services.flags import flags_to_hide
from ..services.screening import moderation_thresholds, moderation_thresholds_set


def thresholds_panel(request) -> str:
    """Registered as a settings panel (registry.settings_panels): the core's settings page shows it."""
    initial = {**moderation_thresholds(request.community), "flags_to_hide": flags_to_hide(request.community)}
    form = ThresholdsForm(initial=initial)
    return render_to_string(
        "moderation/thresholds_panel.html", {"thresholds_form": form, "community": request.community}, request
    )


@require_POST
@community_page("community.update")
def thresholds_update(request, community_slug):
    form = ThresholdsForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
        messages.error(request, f"Thresholds not saved. {problems}")
    else:
        try:
            moderation_thresholds_set(community=request.community, actor=request.actor, **form.cleaned_data)
        except ServiceError as error:
            messages.error(request, f"Thresholds not saved. {error.message}")
        else:
            messages.success(request, "Moderation thresholds saved; they apply to what arrives from now on.")
    return redirect("community:manage_settings", community_slug=community_slug)
