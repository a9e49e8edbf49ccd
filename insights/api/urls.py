"""Metrics API routes, included into `api_v1` (so at /api/v1/ and /api/v1/c/<slug>/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("metrics/", views.MetricListView.as_view(), name="metric-list"),
    path("metrics/<str:metric>/", views.MetricDetailView.as_view(), name="metric-detail"),
]
