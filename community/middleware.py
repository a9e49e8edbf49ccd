"""Request middleware: custom domains mapped to /c/<slug>/ paths, the Permissions-Policy, malformed requests refused.

Only domains whose control was proved (community/services/domains.py) are mapped, and never the platform's own
hosts. Global routes keep their meaning on every host: the site-wide ones below and every app's root routes
(registry.root_url_includes, e.g. /hooks/), so a custom domain can never shadow a webhook or another tenant.
"""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.views.defaults import bad_request

from community import registry
from community.selectors import community_slug_for_domain
from community.services.domains import platform_hosts

CORE_GLOBAL_PREFIXES = (
    "/static/", "/media/", "/accounts/", "/api/", "/healthz", "/admin/", "/c/", "/communities/", "/bench/",
)  # fmt: skip


class CustomDomainMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # Read once: apps register their root routes while loading, before the first request.
        self.global_prefixes = CORE_GLOBAL_PREFIXES + tuple(f"/{prefix}" for prefix, _ in registry.root_url_includes())
        self.platform_hosts = frozenset(platform_hosts()) | {"127.0.0.1", "[::1]"}

    def __call__(self, request):
        host = request.get_host().rsplit(":", 1)[0].lower() if not request.get_host().endswith("]") else ""
        if host and host not in self.platform_hosts and not request.path_info.startswith(self.global_prefixes):
            slug = community_slug_for_domain(host)
            if slug is not None:
                request.path_info = f"/c/{slug}{request.path_info}"
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switch off browser features no page uses (camera, microphone, geolocation…): settings.PERMISSIONS_POLICY."""

    def __init__(self, get_response):
        self.get_response = get_response
        from django.conf import settings

        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response


def wants_json(request) -> bool:
    """The API and webhook routes answer in the JSON error body; pages answer with a styled page."""
    return request.path_info.startswith(("/api/", "/hooks/")) or "application/json" in request.headers.get("Accept", "")


class MalformedRequestMiddleware:
    """Refuse, before any view, a request that no view can use: NUL in the path or the query string.

    Postgres cannot compare text with NUL in it, so a `?search=%00` reached the database as an error (a 500) in
    a dozen filters. One check here covers every filter, present and future, with a 400 that says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            message = "The address contains a NUL character (%00), which no parameter may hold."
            if wants_json(request):
                body = {"error": {"code": "invalid", "message": message, "fields": {}}}
                return JsonResponse(body, status=400)
            return bad_request(request, SuspiciousOperation(message))
        return self.get_response(request)
