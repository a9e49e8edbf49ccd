"""The Activity API for integrators: post one or a thousand activities (idempotent), list them with filters."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from community.models import Activity, ActivityKind
from community.selectors.activities import activity_list
from community.services.activities import MAX_BATCH, activity_ingest

from .base import CommunityViewSet
from .errors import error_response
from .params import require_moments


class MemberBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    handle = serializers.CharField()
    avatar_url = serializers.CharField()


class SentimentSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="-1 (most negative) … 1 (most positive).")
    label = serializers.ChoiceField(choices=["positive", "neutral", "negative"])
    analyser = serializers.CharField(help_text='"<name>@<version>" of what scored it; "source@1": the source did.')


class ModerationSerializer(serializers.Serializer):
    spam = serializers.FloatField(help_text="0 … 1; spam when ≥ 0.5 (text, the author's trust, duplicates, velocity).")
    toxicity = serializers.FloatField(help_text="0 … 1.")
    status = serializers.ChoiceField(choices=["published", "flagged", "held", "removed"])
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why, in short codes (spam, links…).")
    scorer = serializers.CharField(help_text='"<name>@<version>" of what scored it ("+"-joined when several did).')


class ActivitySerializer(serializers.ModelSerializer):
    """Output only; `member` is null once the member was erased."""

    member = MemberBriefSerializer(allow_null=True)
    # Plain strings in the schema: the kind list is documented once, on the input (no enum name collisions).
    kind = serializers.CharField(help_text="An activity kind (see ActivityInput).")
    sentiment = serializers.SerializerMethodField()
    moderation = serializers.SerializerMethodField()
    # A path on this site for forum activities ("/c/demo/d/t/4/"), an absolute URL for the other channels.
    url = serializers.CharField(read_only=True, help_text="An absolute URL, or a path on this site for forum posts.")

    class Meta:
        model = Activity
        fields = [
            "id",
            "member_id",
            "member",
            "kind",
            "channel",
            "source",
            "connection_id",
            "external_id",
            "occurred_at",
            "title",
            "body",
            "url",
            "parent_external_id",
            "sentiment",
            "language",
            "moderation",
            "extra",
            "created_at",
        ]

    @extend_schema_field(SentimentSerializer(allow_null=True))
    def get_sentiment(self, activity) -> dict | None:
        """Null until scored, and for text no analyser reads (no text, or a language it does not read)."""
        if activity.sentiment is None:
            return None
        return {"score": activity.sentiment, "label": activity.sentiment_label, "analyser": activity.sentiment_analyser}

    @extend_schema_field(ModerationSerializer(allow_null=True))
    def get_moderation(self, activity) -> dict | None:
        """Null until the worker screened it (seconds after arrival)."""
        if not activity.moderation_scorer:
            return None
        return {
            "spam": activity.moderation_spam,
            "toxicity": activity.moderation_toxicity,
            "status": activity.moderation_status,
            "reasons": list(activity.moderation_reasons or []),
            "scorer": activity.moderation_scorer,
        }


class IdentityInputSerializer(serializers.Serializer):
    channel = serializers.CharField(max_length=40)
    external_id = serializers.CharField(max_length=255)
    handle = serializers.CharField(max_length=150, required=False)
    name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(required=False)
    email_verified = serializers.BooleanField(required=False, help_text="Default true: the email matches members.")
    url = serializers.URLField(required=False)
    bot = serializers.BooleanField(required=False, help_text="True for a bot: left out of metrics unless asked for.")


class SentimentInputSerializer(serializers.Serializer):
    score = serializers.FloatField(min_value=-1, max_value=1)
    label = serializers.ChoiceField(
        choices=["positive", "neutral", "negative"], required=False, help_text="Default: from the score at ±0.05."
    )


class ActivityInputSerializer(serializers.Serializer):
    """Documentation of the input shape; validation is the service's (`activity_validate`), shared with bulk."""

    source = serializers.CharField(max_length=80)
    external_id = serializers.CharField(max_length=255)
    kind = serializers.CharField(help_text="One of: " + ", ".join(ActivityKind.values))
    occurred_at = serializers.DateTimeField()
    title = serializers.CharField(required=False)
    body = serializers.CharField(required=False)
    url = serializers.URLField(required=False)
    parent_external_id = serializers.CharField(required=False)
    extra = serializers.DictField(required=False)
    sentiment = SentimentInputSerializer(
        required=False,
        help_text="The source's own score; otherwise Hearth's analyser scores the text after storing it.",
    )
    identity = IdentityInputSerializer()


class BulkResultSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="created | existing | error")
    id = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField()


class BulkResponseSerializer(serializers.Serializer):
    results = BulkResultSerializer(many=True)


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class BulkRefusedSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
    results = BulkResultSerializer(many=True, required=False, help_text="Per item, when the items could be read.")


class OccurredCursorPagination(CursorPagination):
    ordering = ("-occurred_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def activity_filters(params) -> dict:
    require_moments(params, "since", "from", "occurred_after", "until", "to", "occurred_before")
    return {
        "member": params.get("member"),
        "kind": params.get("kind"),
        "channel": params.get("channel"),
        "source": params.get("source"),
        "since": params.get("since") or params.get("from") or params.get("occurred_after"),
        "until": params.get("until") or params.get("to") or params.get("occurred_before"),
        "q": params.get("q") or params.get("search"),
        "sentiment": params.get("sentiment"),
        "moderation_status": params.get("moderation_status"),
    }


FILTER_PARAMETERS = [
    OpenApiParameter("member", int),
    OpenApiParameter("kind", str),
    OpenApiParameter("channel", str),
    OpenApiParameter("source", str),
    OpenApiParameter("since", str, description="Date or date-time (inclusive); alias `from`."),
    OpenApiParameter("until", str, description="Date or date-time (inclusive); alias `to`."),
    OpenApiParameter("q", str, description="Full-text search of title and body; alias `search`."),
    OpenApiParameter("sentiment", str, enum=["positive", "neutral", "negative"], description="The sentiment label."),
    OpenApiParameter(
        "moderation_status",
        str,
        enum=["published", "flagged", "held", "removed", "unscreened"],
        description="The moderation status; `unscreened`: not scored yet.",
    ),
]


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = ActivitySerializer
    pagination_class = OccurredCursorPagination
    filter_backends: list = []
    action_permissions = {
        "list": "activities.view",
        "retrieve": "activities.view",
        "create": "activities.write",
        "bulk": "activities.write",
    }

    def scoped_queryset(self, community):
        filters = activity_filters(self.request.query_params) if self.action == "list" else {}
        return activity_list(community=community, filters=filters)

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ActivityInputSerializer,
        responses={201: ActivitySerializer, 200: ActivitySerializer},
        description="Store one activity; re-posting the same (source, external_id) returns the stored one with 200.",
    )
    def create(self, request, *args, **kwargs):
        result = activity_ingest(community=self.community, items=[request.data])[0]
        if result["status"] == "error":
            message = "Invalid input: " + " ".join(f"{k}: {' '.join(v)}" for k, v in result["errors"].items())
            return error_response("invalid", message, status.HTTP_400_BAD_REQUEST, result["errors"])
        activity = activity_list(community=self.community).filter(pk=result["id"]).first()
        if activity is None:  # pragma: no cover - the row was just stored in this transaction
            raise Http404
        code = status.HTTP_201_CREATED if result["status"] == "created" else status.HTTP_200_OK
        return Response(ActivitySerializer(activity).data, status=code)

    @extend_schema(
        request=ActivityInputSerializer(many=True), responses={200: BulkResponseSerializer, 400: BulkRefusedSerializer}
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        """Up to 1,000 activities (a list, or {"items": [...]}); one result per item, in order."""
        items = request.data
        if isinstance(items, dict):
            items = items.get("items", items.get("activities"))
        if not isinstance(items, list):
            return error_response(
                "invalid", 'Send a list of activities (or {"items": [...]}).', status.HTTP_400_BAD_REQUEST
            )
        if len(items) > MAX_BATCH:
            return error_response(
                "invalid", f"Send at most {MAX_BATCH} activities at once.", status.HTTP_400_BAD_REQUEST
            )
        results = activity_ingest(community=self.community, items=items)
        if results and all(r["status"] == "error" for r in results):
            # Nothing could be stored: a 4xx says so plainly; the per-item errors say what was wrong with each.
            body = {"error": {"code": "invalid", "message": "No activity in this batch was valid.", "fields": {}}}
            return Response({**body, "results": results}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"results": results})
