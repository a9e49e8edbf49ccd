"""GET /api/v1/moderation/figures/: the dashboard's moderation figures for any period, for reports elsewhere."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.base import CommunityMixin
from community.api.params import require_moments
from community.errors import ServiceError
from community.selectors.members import parse_moment

from .. import selectors

DEFAULT_DAYS = 30


class FigureCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class FlagReasonCountSerializer(FigureCountSerializer):
    reason = serializers.CharField()


class ModeratorActionCountSerializer(FigureCountSerializer):
    name = serializers.CharField()


class ModerationFiguresSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField()
    open_now = serializers.IntegerField(help_text="Items waiting in the queue now.")
    oldest_open_seconds = serializers.FloatField(allow_null=True, help_text="How long the oldest waiting item has.")
    opened = serializers.IntegerField()
    decided = serializers.IntegerField()
    median_first_action_seconds = serializers.FloatField(
        allow_null=True, help_text="Median time from an item opening to its decision, over items decided."
    )
    flags_by_reason = FlagReasonCountSerializer(many=True)
    actions_by_moderator = ModeratorActionCountSerializer(many=True, help_text="People only, the ten most active.")
    auto_held_decided = serializers.IntegerField(help_text="Items the screen held that were decided in the period.")
    auto_held_approved_share = serializers.FloatField(allow_null=True, help_text="Of those, the share approved.")


class FiguresView(CommunityMixin, APIView):
    action_permissions = {"get": "moderation.view"}

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="A date or ISO 8601 date-time (default: 30 days ago)."),
            OpenApiParameter("until", str, description="A date (that whole day) or date-time (default: now)."),
        ],
        responses=ModerationFiguresSerializer,
    )
    def get(self, request, *args, **kwargs):
        params = request.query_params
        require_moments(params, "since", "until")
        now = timezone.now()
        until = parse_moment(params.get("until"), end=True) or now
        since = parse_moment(params.get("since")) or until - timedelta(days=DEFAULT_DAYS)
        if since >= until:
            raise ServiceError("since must be before until.", field="since")
        figures = selectors.moderation_figures(community=self.community, since=since, until=until, now=now)
        return Response(ModerationFiguresSerializer({**figures, "since": since, "until": until}).data)
