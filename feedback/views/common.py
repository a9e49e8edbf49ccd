"""What the feedback pages share: the forum-style render (with the bell) and the error answer."""

from django.shortcuts import render

from community.errors import ServiceError
from discussions.services.notifications import unread_count

NS = "community:feedback"
STATUS_CODES = {"permission_denied": 403, "not_found": 404, "conflict": 409}


def page(request, template: str, context: dict | None = None, status: int = 200):
    actor = request.actor
    base = {
        "community": request.community,
        "actor": actor,
        "bell": unread_count(community=request.community, member=actor.member if actor.is_member else None),
    }
    return render(request, template, {**base, **(context or {})}, status=status)


def error_page(request, error: ServiceError):
    return page(request, "feedback/error.html", {"error": error.message}, status=STATUS_CODES.get(error.code, 400))
