"""Forum API routes, included into `api_v1` (so at /api/v1/ and /api/v1/c/<slug>/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("spaces", views.SpaceViewSet, basename="space")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("replies", views.ReplyViewSet, basename="reply")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("subscriptions", views.SubscriptionViewSet, basename="subscription")

topic_replies = views.TopicReplyViewSet.as_view({"get": "list", "post": "create"})

urlpatterns = [
    path("topics/<int:topic_id>/replies/", topic_replies, name="topic-replies"),
    *router.urls,
]
