"""Page routes of a community, mounted at /c/<community_slug>/ (and at / on a custom domain).

The core's own routes first, then every app's includes from the registry (community/registry.py).
"""

from django.urls import include, path

from . import registry
from .views import manage, members, public

app_name = "community"

urlpatterns = [
    path("", public.community_home, name="home"),
    path("join/", public.community_join, name="join"),
    path("leave/", public.community_leave, name="leave"),
    path("invitations/<str:token>/", public.invitation_accept, name="invitation_accept"),
    path("manage/", manage.manage_home, name="manage_home"),
    path("manage/members/", members.member_directory_page, name="manage_members"),
    path("manage/members/<int:member_id>/", manage.manage_member_update, name="manage_member_update"),
    path("manage/members/bulk-tag/", members.member_bulk_tag, name="manage_members_bulk_tag"),
    path("manage/members/import/", members.member_import, name="manage_members_import"),
    path("manage/members/fields/", members.custom_fields_page, name="manage_member_fields"),
    path("manage/members/suggestions/", members.suggestion_queue, name="manage_member_suggestions"),
    path(
        "manage/members/suggestions/<int:suggestion_id>/",
        members.suggestion_decide,
        name="manage_member_suggestion_decide",
    ),
    path("manage/members/<int:member_id>/profile/", members.member_profile, name="manage_member_profile"),
    path("manage/members/<int:member_id>/edit/", members.member_edit, name="manage_member_edit"),
    path("manage/members/<int:member_id>/notes/", members.member_note_add, name="manage_member_note_add"),
    path("manage/members/<int:member_id>/merge/", members.member_merge, name="manage_member_merge"),
    path("manage/members/<int:member_id>/export.json", members.member_export, name="manage_member_export"),
    path("manage/members/<int:member_id>/erase/", members.member_erase, name="manage_member_erase"),
    path("manage/merges/<int:merge_id>/undo/", members.merge_undo, name="manage_merge_undo"),
    path("manage/segments/", members.segment_create, name="manage_segment_create"),
    path("manage/segments/<int:segment_id>/delete/", members.segment_delete, name="manage_segment_delete"),
    path("manage/organizations/", members.organization_list_page, name="manage_organizations"),
    path("manage/organizations/<int:organization_id>/", members.organization_page, name="manage_organization"),
    path("manage/invitations/", manage.manage_invitations, name="manage_invitations"),
    path("manage/api-keys/", manage.manage_api_keys, name="manage_api_keys"),
    path("manage/settings/", manage.manage_settings, name="manage_settings"),
    *(path(prefix, include(module)) for prefix, module in registry.community_url_includes()),
]
