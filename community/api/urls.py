"""Routes of the community core API; mounted at /api/v1/ (key-scoped) and /api/v1/c/<slug>/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import activities, members, views

router = SimpleRouter()
router.register("members", members.MemberViewSet, basename="member")
router.register("activities", activities.ActivityViewSet, basename="activity")
router.register("organizations", members.OrganizationViewSet, basename="organization")
router.register("segments", members.SegmentViewSet, basename="segment")
router.register("merges", members.MergeViewSet, basename="merge")
router.register("merge-suggestions", members.SuggestionViewSet, basename="merge-suggestion")
router.register("custom-fields", members.CustomFieldViewSet, basename="custom-field")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("api-keys", views.ApiKeyViewSet, basename="api-key")

urlpatterns = [
    path("community/", views.CurrentCommunityView.as_view(), name="community-current"),
    path("community/domain/verify/", views.DomainVerifyView.as_view(), name="community-domain-verify"),
    *router.urls,
]
