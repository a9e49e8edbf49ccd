"""Root URLs: pages, accounts, the API (key-scoped and slug-scoped), schema and health."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from community import registry
from community.views import public

# The core API, then each registered app's (community/registry.py); mounted key-scoped and slug-scoped.
api_v1 = [
    path("", include("community.api.urls")),
    *(path("", include(module)) for module in registry.api_url_includes()),
]

urlpatterns = [
    path("", public.landing, name="landing"),
    path("healthz", public.healthz, name="healthz"),
    path("communities/new/", public.community_create, name="community_create"),
    path("c/<slug:community_slug>/", include("community.urls")),
    *(path(prefix, include(module)) for prefix, module in registry.root_url_includes()),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include(api_v1)),
    path("api/v1/c/<slug:community_slug>/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Public on purpose: the schema describes the API and holds no data; integrators read it before they have a key.
    # The split view serves its script as a file, so the page needs no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
if settings.BENCH_BASELINE:  # hand-written-SQL twins of the forum pages, for the same-server bench ratios
    urlpatterns.append(path("bench/", include("bench.baseline_views")))

handler500 = "community.views.outage.handler500"  # database or broker down -> 503, not 500
# The JSON error body on /api/ and /hooks/ for errors raised before a DRF view (unmatched route, oversized body).
handler400 = "community.views.errors.bad_request"
handler403 = "community.views.errors.permission_denied"
handler404 = "community.views.errors.page_not_found"
