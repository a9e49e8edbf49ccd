"""Page routes of a community, mounted at /c/<community_slug>/ (and at / on a custom domain)."""

from django.urls import path

from .views import manage, public

app_name = "community"

urlpatterns = [
    path("", public.community_home, name="home"),
    path("join/", public.community_join, name="join"),
    path("leave/", public.community_leave, name="leave"),
    path("invitations/<str:token>/", public.invitation_accept, name="invitation_accept"),
    path("manage/", manage.manage_home, name="manage_home"),
    path("manage/members/", manage.manage_members, name="manage_members"),
    path("manage/members/<int:member_id>/", manage.manage_member_update, name="manage_member_update"),
    path("manage/invitations/", manage.manage_invitations, name="manage_invitations"),
    path("manage/api-keys/", manage.manage_api_keys, name="manage_api_keys"),
    path("manage/settings/", manage.manage_settings, name="manage_settings"),
    path("manage/<slug:area>/", manage.manage_area, name="manage_area"),
]
