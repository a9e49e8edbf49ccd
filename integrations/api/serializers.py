"""Serializers of the channels API. Credentials are write-only and come back masked; output never queries."""

from django.urls import reverse
from rest_framework import serializers

from integrations.connectors import KINDS
from integrations.models import ChannelConnection, InboxEvent, SyncRun


class ChannelConnectionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=KINDS)
    credentials = serializers.DictField(child=serializers.CharField(), write_only=True, required=False)
    masked_credentials = serializers.SerializerMethodField()
    webhook_url = serializers.SerializerMethodField()

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

    def get_masked_credentials(self, connection) -> dict:
        return connection.masked_credentials

    def get_webhook_url(self, connection) -> str:
        request = self.context.get("request")
        path = reverse("channel_webhook", args=[connection.uuid])
        return request.build_absolute_uri(path) if request else path


class ChannelConnectionUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=120, required=False)
    config = serializers.DictField(required=False)
    credentials = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    poll_interval = serializers.IntegerField(min_value=0, required=False)


class ResyncSerializer(serializers.Serializer):
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
