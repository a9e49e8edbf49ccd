"""Insights pages, mounted at /c/<community_slug>/manage/insights/ through the registry."""

from django.urls import path

from .views import dashboard, sharing

app_name = "insights"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("csv/<slug:block>/", dashboard.dashboard_csv, name="dashboard_csv"),
    path("timezone/", dashboard.timezone_update, name="timezone"),
    path("weekly-email/", dashboard.weekly_email_update, name="weekly_email"),
    path("shares/", sharing.share_page, name="shares"),
    path("shares/<int:share_id>/revoke/", sharing.share_revoke_view, name="share_revoke"),
]
