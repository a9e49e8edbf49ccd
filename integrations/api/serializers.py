"""Serializers of the channels API. Credentials are write-only and come back masked; output never queries."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.api.strict import StrictFields
from integrations.connectors import KINDS
from integrations.models import ChannelConnection, InboxEvent, SyncRun


class LastCheckSerializer(serializers.Serializer):
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    ok = serializers.BooleanField(allow_null=True)
    message = serializers.CharField()


class ChannelConnectionSerializer(StrictFields, serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=KINDS)
    config = serializers.DictField(required=False)
    credentials = serializers.DictField(child=serializers.CharField(), write_only=True, required=False)
    masked_credentials = serializers.SerializerMethodField()
    webhook_url = serializers.SerializerMethodField()
    last_check = serializers.SerializerMethodField()

    class Meta:
        model = ChannelConnection
        fields = [
            "id",
            "uuid",
            "kind",
            "display_name",
            "config",
            "credentials",
            "masked_credentials",
            "status",
            "last_success_at",
            "last_error",
            "last_error_at",
            "sync_cursor",
            "poll_interval",
            "next_poll_at",
            "last_check",
            "webhook_url",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "uuid",
            "status",
            "last_success_at",
            "last_error",
            "last_error_at",
            "sync_cursor",
            "next_poll_at",
            "created_at",
        ]

    @extend_schema_field(LastCheckSerializer(allow_null=True))
    def get_last_check(self, connection) -> dict | None:
        """The latest "check connection" run in the worker: null before the first; `ok` null while it runs."""
        if connection.last_check_requested_at is None:
            return None
        return {
            "requested_at": connection.last_check_requested_at,
            "finished_at": connection.last_check_at if connection.last_check_ok is not None else None,
            "ok": connection.last_check_ok,
            "message": connection.last_check_message,
        }

    def get_masked_credentials(self, connection) -> dict:
        return connection.masked_credentials

    def get_webhook_url(self, connection) -> str:
        request = self.context.get("request")
        path = reverse("channel_webhook", args=[connection.uuid])
        return request.build_absolute_uri(path) if request else path


class ChannelConnectionUpdateSerializer(StrictFields, serializers.Serializer):
    display_name = serializers.CharField(max_length=120, required=False)
    config = serializers.DictField(required=False)
    credentials = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    poll_interval = serializers.IntegerField(min_value=0, required=False)


class ResyncSerializer(StrictFields, serializers.Serializer):
    since = serializers.DateTimeField()


class SyncRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncRun
        fields = [
            "id",
            "mode",
            "status",
            "started_at",
            "finished_at",
            "pages",
            "items_seen",
            "items_created",
            "items_duplicate",
            "items_error",
            "error",
        ]


class InboxEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = InboxEvent
        fields = [
            "id",
            "source",
            "event_type",
            "delivery_id",
            "received_at",
            "status",
            "error",
            "attempts",
            "processed_at",
            "items_created",
            "items_existing",
        ]
