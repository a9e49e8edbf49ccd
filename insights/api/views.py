"""The metrics API: the list of metrics with their definitions, and one metric's series and total."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from community.api.base import CommunityMixin
from community.errors import ServiceError
from insights.metrics import DEFINITIONS, INTERVALS, Query, metric_list, metric_read, segment_members
from insights.services.rollups import community_timezone

DEFAULT_DAYS = 30


class PointSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.FloatField(allow_null=True)


class MetricSerializer(serializers.Serializer):
    metric = serializers.ChoiceField(choices=list(DEFINITIONS))
    interval = serializers.ChoiceField(choices=list(INTERVALS))
    start = serializers.DateField()
    end = serializers.DateField()
    timezone = serializers.CharField()
    definition = serializers.CharField()
    series = PointSerializer(many=True)
    total = serializers.FloatField(allow_null=True)


class MetricBriefSerializer(serializers.Serializer):
    name = serializers.CharField()
    definition = serializers.CharField()


class MetricListSerializer(serializers.Serializer):
    results = MetricBriefSerializer(many=True)


def _day(params, name: str, default: date) -> date:
    value = params.get(name)
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ServiceError(f"{name}: expected a date, YYYY-MM-DD.", field=name) from None


def _flag(params, name: str) -> bool:
    value = (params.get(name) or "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise ServiceError(f"{name}: expected true or false.", field=name)
    return value in ("true", "1")


def parse_query(params, name: str, community) -> Query:
    """The query string of a metric request, checked; defaults: the last 30 local days, by day."""
    today = timezone.now().astimezone(ZoneInfo(community_timezone(community))).date()
    end = _day(params, "end", today)
    start = _day(params, "start", end - timedelta(days=DEFAULT_DAYS - 1))
    members = segment_members(community=community, segment=params.get("segment"))
    return Query(
        name=name, start=start, end=end, interval=params.get("interval") or "day",
        channel=(params.get("channel") or "")[:40], include_staff=_flag(params, "include_staff"),
        include_bots=_flag(params, "include_bots"), responder=params.get("responder") or "", members=members,
    )  # fmt: skip


METRIC_PARAMETERS = [
    OpenApiParameter("start", str, description="YYYY-MM-DD, a local day of the community (default: end - 29)."),
    OpenApiParameter("end", str, description="YYYY-MM-DD, inclusive (default: today in the community's zone)."),
    OpenApiParameter("interval", str, enum=list(INTERVALS), description="Weeks start on Monday."),
    OpenApiParameter("channel", str, description="One channel (github, discord, forum, …); default all."),
    OpenApiParameter("segment", int, description="A saved segment's id: only its members (as they are now)."),
    OpenApiParameter("include_staff", bool),
    OpenApiParameter("include_bots", bool),
    OpenApiParameter("responder", str, enum=["staff", "community"], description="response_time/response_rate only."),
]


class _ListSchema(AutoSchema):
    """An APIView's GET is named "retrieve"; the list of metrics is a list, and must not share its detail's id."""

    def get_operation_id(self) -> str:
        return super().get_operation_id().removesuffix("_retrieve") + "_list"


class MetricListView(CommunityMixin, APIView):
    action_permissions = {"get": "insights.view"}
    schema = _ListSchema()

    @extend_schema(responses=MetricListSerializer)
    def get(self, request, *args, **kwargs):
        return Response({"results": metric_list()})


class MetricDetailView(CommunityMixin, APIView):
    action_permissions = {"get": "insights.view"}

    @extend_schema(parameters=METRIC_PARAMETERS, responses=MetricSerializer)
    def get(self, request, *args, metric: str, **kwargs):
        query = parse_query(request.query_params, metric, self.community)
        return Response(metric_read(community=self.community, query=query))
