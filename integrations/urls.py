"""Page routes of connected channels, mounted at /c/<community_slug>/manage/channels/ by community/urls.py."""

from django.urls import path

from .views import channels

app_name = "integrations"

urlpatterns = [
    path("", channels.channel_list, name="channel_list"),
    path("connect/<slug:kind>/", channels.channel_connect, name="channel_connect"),
    path("<int:connection_id>/", channels.channel_detail, name="channel_detail"),
    path("<int:connection_id>/action/", channels.channel_action, name="channel_action"),
    path("<int:connection_id>/inbox/replay-failed/", channels.inbox_replay_failed, name="inbox_replay_failed"),
    path("<int:connection_id>/inbox/<int:event_id>/replay/", channels.inbox_event_replay, name="inbox_event_replay"),
]
