"""Insights API routes, included into `api_v1` (so at /api/v1/ and /api/v1/c/<slug>/): metrics and the crisis watch."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import alerts, views

router = SimpleRouter()
router.register("alerts", alerts.AlertViewSet, basename="alert")
router.register("alert-rules", alerts.AlertRuleViewSet, basename="alert-rule")

urlpatterns = [
    path("metrics/", views.MetricListView.as_view(), name="metric-list"),
    path("metrics/<str:metric>/", views.MetricDetailView.as_view(), name="metric-detail"),
    *router.urls,
]
