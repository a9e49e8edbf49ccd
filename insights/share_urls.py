"""The public read-only dashboard of a share link, mounted at /c/<community_slug>/insights/shared/ (no sign-in)."""

from django.urls import path

from .views import sharing

app_name = "insights_shared"

urlpatterns = [path("<str:token>/", sharing.shared_dashboard, name="shared_dashboard")]
