"""Moderation API views: the same services and policy actions as the pages (community.policy via the registry)."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from community.api.base import CommunityViewSet
from community.errors import ServiceError
from community.selectors import access_member

from .. import selectors
from ..models import ItemStatus, SubjectKind
from ..services import flags as flag_services
from ..services import queue as queue_services
from ..services import sanctions as sanction_services
from . import serializers as s

VIEW, ACT, SANCTION, LOG = "moderation.view", "moderation.act", "moderation.sanction", "moderation.log"


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class PriorityCursorPagination(CursorPagination):
    ordering = ("-priority", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _params(view) -> dict:
    # No request when the cross-tenant walk asks the viewset for one of B's objects.
    return view.request.query_params if view.request is not None else {}


def _choice(params, name: str, choices) -> str | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if value not in choices:
        raise ServiceError(f"{name}: one of {', '.join(choices)}.", field=name)
    return value


class QueueItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.QueueItemSerializer
    pagination_class = PriorityCursorPagination
    filter_backends: list = []
    action_permissions = {
        "list": VIEW, "retrieve": VIEW, "claim": ACT, "release": ACT, "act": ACT, "bulk": ACT, "open": ACT,
    }  # fmt: skip

    def scoped_queryset(self, community):
        params = _params(self)
        status_ = None if params.get("status") == "all" else _choice(params, "status", ItemStatus.values)
        status_ = status_ or (None if params.get("status") == "all" else ItemStatus.OPEN)
        kind = _choice(params, "kind", SubjectKind.values)
        return selectors.queue_list(community=community, status=status_, kind=kind)

    def get_object(self):
        return selectors.access_item(community=self.community, item_id=self.kwargs["pk"])

    def _detail(self, item, code=status.HTTP_200_OK):
        item = selectors.access_item(community=self.community, item_id=item.pk)
        return Response(s.QueueItemSerializer(item).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=[*ItemStatus.values, "all"], description="Default: open."),
            OpenApiParameter("kind", str, enum=SubjectKind.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=s.QueueItemSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, *args, **kwargs):
        item = queue_services.queue_item_claim(community=self.community, actor=self.actor, item=self.get_object())
        return self._detail(item)

    @extend_schema(request=None, responses=s.QueueItemSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, *args, **kwargs):
        item = queue_services.queue_item_release(community=self.community, actor=self.actor, item=self.get_object())
        return self._detail(item)

    @extend_schema(request=s.ActSerializer, responses=s.QueueItemSerializer)
    @action(detail=True, methods=["post"])
    def act(self, request, *args, **kwargs):
        item = self.get_object()  # the object first: another community's id is a 404 whatever the body
        data = _valid(s.ActSerializer, request.data)
        item = queue_services.queue_item_act(community=self.community, actor=self.actor, item=item, **data)
        return self._detail(item)

    @extend_schema(request=s.BulkSerializer, responses=s.ModerationBulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        data = _valid(s.BulkSerializer, request.data)
        return Response(queue_services.queue_items_bulk_act(community=self.community, actor=self.actor, **data))

    @extend_schema(request=s.OpenSerializer, responses={201: s.QueueItemSerializer})
    @action(detail=False, methods=["post"])
    def open(self, request, *args, **kwargs):
        """Put a post or a channel activity in the queue (an external screening service; flags use /flags/)."""
        data = _valid(s.OpenSerializer, request.data)
        item = queue_services.queue_item_open(community=self.community, source="scorer", **data)
        return self._detail(item, status.HTTP_201_CREATED)


class FlagViewSet(mixins.ListModelMixin, CommunityViewSet):
    serializer_class = s.FlagSerializer
    filter_backends: list = []
    action_permissions = {"list": VIEW, "create": "moderation.flag"}

    def scoped_queryset(self, community):
        return selectors.flag_list(community=community)

    @extend_schema(request=s.FlagCreateSerializer, responses={201: s.FlagSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(s.FlagCreateSerializer, request.data)
        flag = flag_services.flag_create(community=self.community, actor=self.actor, **data)
        return Response(s.FlagSerializer(flag).data, status=status.HTTP_201_CREATED)


class SanctionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.SanctionSerializer
    filter_backends: list = []
    action_permissions = {"list": VIEW, "retrieve": VIEW, "create": SANCTION, "lift": SANCTION}

    def scoped_queryset(self, community):
        member_id = _params(self).get("member_id")
        if member_id is not None and not member_id.isdigit():
            raise ServiceError("member_id: a member's id.", field="member_id")
        return selectors.sanction_list(community=community, member_id=int(member_id) if member_id else None)

    def get_object(self):
        return selectors.access_sanction(community=self.community, sanction_id=self.kwargs["pk"])

    @extend_schema(request=s.SanctionCreateSerializer, responses={201: s.SanctionSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(s.SanctionCreateSerializer, request.data)
        try:
            member = access_member(community=self.community, member_id=data.pop("member_id"))
        except Http404:
            raise ServiceError("No such member.", code="not_found", field="member_id") from None
        sanction = sanction_services.sanction_issue(community=self.community, actor=self.actor, member=member, **data)
        return Response(s.SanctionSerializer(sanction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ReasonSerializer, responses=s.SanctionSerializer)
    @action(detail=True, methods=["post"])
    def lift(self, request, *args, **kwargs):
        sanction = self.get_object()
        data = _valid(s.ReasonSerializer, request.data)
        sanction = sanction_services.sanction_lift(
            community=self.community, actor=self.actor, sanction=sanction, reason=data["reason"]
        )
        return Response(s.SanctionSerializer(self.get_object()).data)


class AppealViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.AppealSerializer
    filter_backends: list = []
    action_permissions = {"list": VIEW, "retrieve": VIEW, "decide": SANCTION}

    def scoped_queryset(self, community):
        return selectors.appeal_list(community=community)

    def get_object(self):
        return selectors.access_appeal(community=self.community, appeal_id=self.kwargs["pk"])

    @extend_schema(request=s.DecideSerializer, responses=s.AppealSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, *args, **kwargs):
        appeal = self.get_object()
        data = _valid(s.DecideSerializer, request.data)
        sanction_services.appeal_decide(community=self.community, actor=self.actor, appeal=appeal, **data)
        return Response(s.AppealSerializer(self.get_object()).data)


class LogViewSet(mixins.ListModelMixin, CommunityViewSet):
    serializer_class = s.LogEntrySerializer
    filter_backends: list = []
    action_permissions = {"list": LOG}

    def scoped_queryset(self, community):
        params = _params(self)
        filters = {"action": params.get("action") or "", "subject_kind": params.get("subject_kind") or ""}
        for name in ("actor_member_id", "target_member_id"):
            value = params.get(name)
            if value is not None and not value.isdigit():
                raise ServiceError(f"{name}: a member's id.", field=name)
            filters[name] = int(value) if value else None
        return selectors.log_list(community=community, filters=filters)
