"""Moderation pages under /c/<slug>/: the dashboard's queue, sanctions, log and guidelines; members' flags and notices."""

from django.urls import path

from .views import member, rules, staff
from .views import settings as settings_views

app_name = "moderation"

urlpatterns = [
    path("manage/moderation/", staff.queue, name="queue"),
    path("manage/moderation/bulk/", staff.queue_bulk, name="queue_bulk"),
    path("manage/moderation/items/<int:item_id>/", staff.item_detail, name="item"),
    path("manage/moderation/members/<int:member_id>/", staff.member_sanctions, name="member_sanctions"),
    path("manage/moderation/members/<int:member_id>/trust/", rules.member_trust, name="member_trust"),
    path("manage/moderation/rules/", rules.rules, name="rules"),
    path("manage/moderation/log/", staff.log, name="log"),
    path("manage/moderation/guidelines/", staff.guidelines_edit, name="guidelines_edit"),
    path("manage/moderation/thresholds/", settings_views.thresholds_update, name="thresholds"),
    path("d/t/<int:topic_id>/flag/", member.flag_topic, name="flag_topic"),
    path("d/r/<int:reply_id>/flag/", member.flag_reply, name="flag_reply"),
    path("guidelines/", member.guidelines, name="guidelines"),
    path("moderation/notices/", member.notices, name="notices"),
    path("moderation/notices/<int:sanction_id>/appeal/", member.appeal, name="appeal"),
]
