"""What every forum page shares: the render helper (community, actor, bell count) and error plumbing."""

from django.shortcuts import render

from community.errors import ServiceError

from ..services.notifications import unread_count

NS = "community:discussions"


def page(request, template: str, context: dict | None = None, status: int = 200):
    actor = request.actor
    base = {
        "community": request.community,
        "actor": actor,
        "bell": unread_count(community=request.community, member=actor.member if actor.is_member else None),
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def form_error(form, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def error_page(request, error: ServiceError):
    status = {"permission_denied": 403, "not_found": 404, "conflict": 409}.get(error.code, 400)
    return page(request, "discussions/error.html", {"error": error.message}, status=status)
