"""Routes of the channels API; included in `api_v1` (mounted at /api/v1/ and /api/v1/c/<slug>/)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("channels", views.ChannelConnectionViewSet, basename="channel")

urlpatterns = router.urls
