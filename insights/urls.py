"""Insights pages, mounted at /c/<community_slug>/manage/insights/ through the registry."""

from django.urls import path

from .views import crisis, dashboard, sharing

app_name = "insights"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("csv/<slug:block>/", dashboard.dashboard_csv, name="dashboard_csv"),
    path("timezone/", dashboard.timezone_update, name="timezone"),
    path("weekly-email/", dashboard.weekly_email_update, name="weekly_email"),
    path("shares/", sharing.share_page, name="shares"),
    path("shares/<int:share_id>/revoke/", sharing.share_revoke_view, name="share_revoke"),
    path("crisis/", crisis.crisis, name="crisis"),
    path("crisis/email/", crisis.crisis_email, name="crisis_email"),
    path("crisis/webhook/", crisis.crisis_webhook, name="crisis_webhook"),
    path("crisis/rules/<int:rule_id>/", crisis.crisis_rule, name="crisis_rule"),
    path("crisis/<int:alert_id>/", crisis.alert_detail, name="alert"),
]
