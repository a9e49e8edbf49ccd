"""The channels API: connections (CRUD, check, pause, resume, resync, rotate secret), sync runs, the inbox."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community.api.base import CommunityViewSet
from community.api.pagination import CreatedCursorPagination
from integrations.selectors import access_inbox_event, connection_list, inbox_list, sync_run_list
from integrations.services import connections as services
from integrations.services.inbox import inbox_replay

from .serializers import (
    ChannelConnectionSerializer,
    ChannelConnectionUpdateSerializer,
    InboxEventSerializer,
    ResyncSerializer,
    SyncRunSerializer,
)


class ChannelConnectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = ChannelConnectionSerializer
    action_permissions = {
        "list": "channels.view",
        "retrieve": "channels.view",
        "sync_runs": "channels.view",
        "inbox": "channels.view",
        "*": "channels.manage",
    }

    def scoped_queryset(self, community):
        return connection_list(community=community)

    def create(self, request, *args, **kwargs):
        serializer = ChannelConnectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        connection = services.connection_create(
            community=self.community,
            actor=self.actor,
            kind=data["kind"],
            display_name=data["display_name"],
            config=data.get("config") or {},
            credentials=data.get("credentials") or {},
            poll_interval=data.get("poll_interval"),
        )
        body = ChannelConnectionSerializer(connection, context={"request": request}).data
        # The webhook secret is shown once, at creation (like an API key); later only rotated.
        body["webhook_secret"] = connection.webhook_secret
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=ChannelConnectionUpdateSerializer, responses=ChannelConnectionSerializer)
    def partial_update(self, request, *args, **kwargs):
        connection = self.get_object()
        serializer = ChannelConnectionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        connection = services.connection_update(
            community=self.community, actor=self.actor, connection=connection, **serializer.validated_data
        )
        return Response(ChannelConnectionSerializer(connection, context={"request": request}).data)

    def destroy(self, request, *args, **kwargs):
        services.connection_disconnect(community=self.community, actor=self.actor, connection=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: ChannelConnectionSerializer})
    @action(detail=True, methods=["post"])
    def check(self, request, *args, **kwargs):
        """Queue a check in the worker (202); its outcome appears in the connection's `last_check`."""
        connection = services.connection_check_request(
            community=self.community, actor=self.actor, connection=self.get_object()
        )
        body = ChannelConnectionSerializer(connection, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=ChannelConnectionSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, *args, **kwargs):
        connection = services.connection_pause(community=self.community, actor=self.actor, connection=self.get_object())
        return Response(ChannelConnectionSerializer(connection, context={"request": request}).data)

    @extend_schema(request=None, responses=ChannelConnectionSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, *args, **kwargs):
        connection = services.connection_resume(
            community=self.community, actor=self.actor, connection=self.get_object()
        )
        return Response(ChannelConnectionSerializer(connection, context={"request": request}).data)

    @extend_schema(request=ResyncSerializer, responses=ChannelConnectionSerializer)
    @action(detail=True, methods=["post"])
    def resync(self, request, *args, **kwargs):
        connection = self.get_object()  # 404 for another community's id comes before any validation
        serializer = ResyncSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        connection = services.connection_resync_from(
            community=self.community,
            actor=self.actor,
            connection=connection,
            since=serializer.validated_data["since"],
        )
        return Response(ChannelConnectionSerializer(connection, context={"request": request}).data)

    @extend_schema(request=None, responses={200: dict})
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, *args, **kwargs):
        secret = services.connection_rotate_webhook_secret(
            community=self.community, actor=self.actor, connection=self.get_object()
        )
        return Response({"webhook_secret": secret})

    @extend_schema(responses=SyncRunSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="sync-runs")
    def sync_runs(self, request, *args, **kwargs):
        runs = sync_run_list(community=self.community, connection=self.get_object())
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(runs, request, view=self)
        return paginator.get_paginated_response(SyncRunSerializer(page, many=True).data)

    @extend_schema(responses=InboxEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def inbox(self, request, *args, **kwargs):
        events = inbox_list(
            community=self.community, connection=self.get_object(), status=request.query_params.get("status")
        )
        paginator = CreatedCursorPagination()
        page = paginator.paginate_queryset(events, request, view=self)
        return paginator.get_paginated_response(InboxEventSerializer(page, many=True).data)

    @extend_schema(request=None, responses={202: dict})
    @action(detail=True, methods=["post"], url_path=r"inbox/(?P<event_id>\d+)/replay")
    def replay(self, request, *args, event_id=None, **kwargs):
        connection = self.get_object()
        event = access_inbox_event(community=self.community, connection=connection, event_id=int(event_id))
        count = inbox_replay(community=self.community, actor=self.actor, events=[event])
        return Response({"replayed": count}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: dict})
    @action(detail=True, methods=["post"], url_path="inbox/replay-failed")
    def replay_failed(self, request, *args, **kwargs):
        connection = self.get_object()
        events = list(inbox_list(community=self.community, connection=connection, status="failed")[:1000])
        count = inbox_replay(community=self.community, actor=self.actor, events=events)
        return Response({"replayed": count}, status=status.HTTP_202_ACCEPTED)
