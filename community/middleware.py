"""Serve a community on its own domain by mapping the host to /c/<slug>/ paths."""

from community.selectors import community_get_by_domain

GLOBAL_PREFIXES = ("/static/", "/media/", "/accounts/", "/api/", "/healthz", "/admin/", "/c/")


class CustomDomainMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = request.get_host().split(":")[0].lower()
        if host not in {"localhost", "127.0.0.1", "testserver"} and not request.path_info.startswith(GLOBAL_PREFIXES):
            community = community_get_by_domain(host)
            if community is not None:
                request.path_info = f"/c/{community.slug}{request.path_info}"
        return self.get_response(request)
