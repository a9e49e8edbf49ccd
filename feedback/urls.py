"""Feedback pages under /c/<slug>/: boards, ideas, roadmap and changelog; the dashboard's prioritisation and actions."""

from django.urls import path

from .views import member, staff

app_name = "feedback"

urlpatterns = [
    path("feedback/", member.boards, name="boards"),
    path("feedback/roadmap/", member.roadmap, name="roadmap"),
    path("feedback/changelog/", member.changelog, name="changelog"),
    path("feedback/b/<slug:board_slug>/", member.board, name="board"),
    path("feedback/b/<slug:board_slug>/new/", member.idea_new, name="idea_new"),
    path("feedback/b/<slug:board_slug>/similar/", member.similar, name="similar"),
    path("feedback/i/<int:idea_id>/", member.idea, name="idea"),
    path("feedback/i/<int:idea_id>/vote/", member.idea_vote, name="idea_vote"),
    path("feedback/i/<int:idea_id>/follow/", member.idea_follow, name="idea_follow"),
    path("manage/feedback/", staff.prioritise, name="prioritise"),
    path("manage/feedback/boards/", staff.boards_manage, name="boards_manage"),
    path("manage/feedback/changelog/new/", staff.changelog_new, name="changelog_new"),
    path("manage/feedback/i/<int:idea_id>/", staff.idea_manage, name="idea_manage"),
    path("manage/feedback/activities/<int:activity_id>/", staff.activity_feedback, name="activity_feedback"),
]
