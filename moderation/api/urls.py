"""Moderation API routes, included into `api_v1` (so at /api/v1/moderation/… and /api/v1/c/<slug>/moderation/…)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import rules, views
from .figures import FiguresView

router = SimpleRouter()
router.register("moderation/queue", views.QueueItemViewSet, basename="moderation-queue")
router.register("moderation/flags", views.FlagViewSet, basename="moderation-flag")
router.register("moderation/sanctions", views.SanctionViewSet, basename="moderation-sanction")
router.register("moderation/appeals", views.AppealViewSet, basename="moderation-appeal")
router.register("moderation/log", views.LogViewSet, basename="moderation-log")
router.register("moderation/watched-words", rules.WatchedWordViewSet, basename="moderation-watched-word")
router.register("moderation/trust", rules.TrustViewSet, basename="moderation-trust")

urlpatterns = [path("moderation/figures/", FiguresView.as_view(), name="moderation-figures"), *router.urls]
