"""The crisis watch API: alerts (filtered, cursor-paged) with acknowledge and resolve, and the rules."""

from datetime import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from community.api.base import CommunityViewSet
from community.errors import ServiceError
from insights import alert_selectors as selectors
from insights.models import Alert, AlertRule, AlertStatus, RuleKind
from insights.services import alerts as alert_services
from insights.services import crisis as crisis_services

READ, ACT, CONFIGURE = "insights.view", "insights.alerts", "insights.alert_rules"


class AlertSerializer(serializers.ModelSerializer):
    channel = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id", "kind", "status", "channel", "raised_at", "updated_at", "window_start", "window_end",
            "observed", "expected", "summary", "activity_ids",
        ]  # fmt: skip

    def get_channel(self, alert) -> str | None:
        return alert.channel or None  # null: the whole community


class ResolveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class AlertRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertRule
        fields = ["id", "kind", "channel", "window_minutes", "thresholds", "keywords", "enabled", "created_at"]
        read_only_fields = ["id", "created_at"]


class AlertRuleWriteSerializer(serializers.Serializer):
    """Shape only; the service checks the values (ranges, threshold names of the kind, phrases)."""

    kind = serializers.ChoiceField(choices=RuleKind.values, required=False)
    channel = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=40)
    window_minutes = serializers.IntegerField(required=False)
    thresholds = serializers.DictField(required=False)
    keywords = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50)
    enabled = serializers.BooleanField(required=False)


class RaisedCursorPagination(CursorPagination):
    ordering = ("-raised_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _params(view) -> dict:
    return view.request.query_params if view.request is not None else {}


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        since = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ServiceError("since: an ISO 8601 date and time, e.g. 2026-12-07T10:00:00Z.", field="since") from None
    if since.tzinfo is None:
        raise ServiceError("since: give a time zone (Z or +01:00).", field="since")
    return since


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = AlertSerializer
    pagination_class = RaisedCursorPagination
    filter_backends: list = []
    action_permissions = {"list": READ, "retrieve": READ, "acknowledge": ACT, "resolve": ACT}

    def scoped_queryset(self, community):
        params = _params(self)
        channel = params.get("channel")
        return selectors.alert_list(
            community=community, status=params.get("status") or None, kind=params.get("kind") or None,
            channel=None if channel in (None, "") else ("" if channel == "none" else channel[:40]),
            since=_since(params.get("since")),
        )  # fmt: skip

    def get_object(self):
        return selectors.access_alert(community=self.community, alert_id=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AlertStatus.values),
            OpenApiParameter("kind", str, enum=RuleKind.values),
            OpenApiParameter("channel", str, description="A channel; `none` for the whole-community alerts."),
            OpenApiParameter("since", str, description="ISO 8601: alerts raised or updated since then."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, *args, **kwargs):
        alert = alert_services.alert_acknowledge(community=self.community, actor=self.actor, alert=self.get_object())
        return Response(AlertSerializer(alert).data)

    @extend_schema(request=ResolveSerializer, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, *args, **kwargs):
        alert = self.get_object()
        serializer = ResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = alert_services.alert_resolve(
            community=self.community, actor=self.actor, alert=alert, note=serializer.validated_data["note"]
        )
        return Response(AlertSerializer(alert).data)


class AlertRuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, CommunityViewSet
):  # fmt: skip
    serializer_class = AlertRuleSerializer
    filter_backends: list = []
    action_permissions = {
        "list": READ, "retrieve": READ, "create": CONFIGURE, "partial_update": CONFIGURE, "destroy": CONFIGURE,
    }  # fmt: skip

    def scoped_queryset(self, community):
        if getattr(self, "request", None) is not None:
            crisis_services.crisis_watch_ensure(community=community)  # a new community sees its default rules
        return selectors.alert_rule_list(community=community)

    def get_object(self):
        return selectors.access_alert_rule(community=self.community, rule_id=self.kwargs["pk"])

    def _data(self) -> dict:
        serializer = AlertRuleWriteSerializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=AlertRuleWriteSerializer, responses={201: AlertRuleSerializer})
    def create(self, request, *args, **kwargs):
        data = self._data()
        if "kind" not in data:
            raise ServiceError("kind: required.", field="kind")
        rule = crisis_services.alert_rule_create(community=self.community, actor=self.actor, **data)
        return Response(AlertRuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AlertRuleWriteSerializer, responses=AlertRuleSerializer)
    def partial_update(self, request, *args, **kwargs):
        rule = self.get_object()
        data = self._data()
        if data.pop("kind", rule.kind) != rule.kind:
            raise ServiceError("kind: a rule keeps its kind; create another rule.", field="kind")
        rule = crisis_services.alert_rule_update(community=self.community, actor=self.actor, rule=rule, **data)
        return Response(AlertRuleSerializer(rule).data)

    def perform_destroy(self, instance):
        crisis_services.alert_rule_delete(community=self.community, actor=self.actor, rule=instance)
