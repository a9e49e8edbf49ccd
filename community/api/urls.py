"""Routes of the community core API; mounted at /api/v1/ (key-scoped) and /api/v1/c/<slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("members", views.MemberViewSet, basename="member")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("api-keys", views.ApiKeyViewSet, basename="api-key")

urlpatterns = [
    path("community/", views.CurrentCommunityView.as_view(), name="community-current"),
    *router.urls,
]
