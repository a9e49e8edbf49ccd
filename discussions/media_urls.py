"""Uploaded forum images, served by the app (the storage's /media/ URLs; no separate web server needed)."""

from django.urls import path

from .views.media import upload_file

urlpatterns = [
    path("<int:community_id>/<str:name>", upload_file, name="upload_file"),
]
