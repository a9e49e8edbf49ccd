"""Serve a community on its own domain by mapping the host to /c/<slug>/ paths."""

from community.selectors import community_slug_for_domain

GLOBAL_PREFIXES = ("/static/", "/media/", "/accounts/", "/api/", "/healthz", "/admin/", "/c/")


class CustomDomainMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host().split(":")[0].lower()
        if host not in {"localhost", "127.0.0.1", "testserver"} and not request.path_info.startswith(GLOBAL_PREFIXES):
            slug = community_slug_for_domain(host)
            if slug is not None:
                request.path_info = f"/c/{slug}{request.path_info}"
        return self.get_response(request)
