"""Feedback API routes, included into `api_v1` (at /api/v1/boards/, /api/v1/ideas/ and their /c/<slug>/ twins)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("boards", views.BoardViewSet, basename="feedback-board")
router.register("ideas", views.IdeaViewSet, basename="feedback-idea")

urlpatterns = router.urls
