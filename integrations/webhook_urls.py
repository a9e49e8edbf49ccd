"""The inbound webhook route, mounted at /hooks/ — global by path, the community comes from the connection."""

from django.urls import path

from . import webhooks

urlpatterns = [
    path("<uuid:connection_uuid>/", webhooks.receive, name="channel_webhook"),
]
