"""Serializers of the forum API. Output serializers never query (views select_related what they need)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.api.strict import StrictFields

from ..models import Level, Notification, Pin, Reply, ResultsVisibility, Space, Subscription, Topic, TopicKind


class SpaceSerializer(StrictFields, serializers.ModelSerializer):
    topic_count = serializers.SerializerMethodField()
    # Plain strings (validated by the service): both share one choice set, which would name one enum twice.
    start_policy = serializers.CharField(default="members", help_text="members or staff")
    reply_policy = serializers.CharField(default="members", help_text="members or staff")

    class Meta:
        model = Space
        fields = [
            "id",
            "name",
            "slug",
            "description",
            "colour",
            "icon",
            "position",
            "visibility",
            "start_policy",
            "reply_policy",
            "topic_count",
            "created_at",
        ]
        read_only_fields = ["id", "created_at", "topic_count"]
        extra_kwargs = {"slug": {"required": False}}

    @extend_schema_field(serializers.IntegerField())
    def get_topic_count(self, space) -> int:
        """Live topics: annotated on lists; counted for a single space (a new or edited one)."""
        annotated = getattr(space, "topic_count", None)
        if annotated is not None:
            return annotated
        return space.topics.filter(status="published", deleted_at__isnull=True, merged_into__isnull=True).count()


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class SpaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class TopicSerializer(serializers.ModelSerializer):
    space = SpaceRefSerializer(read_only=True)
    author = AuthorSerializer(read_only=True, allow_null=True)
    unread = serializers.IntegerField(
        read_only=True, allow_null=True, default=None, help_text="Replies you have not read; in lists only, else null."
    )
    kind = serializers.CharField(read_only=True, help_text="discussion, question, announcement, poll or article")
    status = serializers.CharField(read_only=True, help_text="published or scheduled")

    class Meta:
        model = Topic
        fields = [
            "id",
            "space",
            "author",
            "kind",
            "title",
            "tags",
            "status",
            "publish_at",
            "pin",
            "locked",
            "archived",
            "accepted_reply_id",
            "reply_count",
            "created_at",
            "last_posted_at",
            "edited_at",
            "unread",
        ]
        read_only_fields = fields


class TopicDetailSerializer(TopicSerializer):
    poll = serializers.SerializerMethodField()

    class Meta(TopicSerializer.Meta):
        fields = [*TopicSerializer.Meta.fields, "body", "body_html", "poll"]
        read_only_fields = fields

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_poll(self, topic):
        results = self.context.get("poll")
        if not results:
            return None
        poll = results["poll"]
        return {
            "id": poll.pk,
            "multiple": poll.multiple,
            "closes_at": poll.closes_at,
            "closed": poll.is_closed,
            "results_visibility": poll.results_visibility,
            "voted": results["voted"],
            "total": results["total"] if results["show_results"] else None,
            "options": [
                {"id": o.pk, "label": o.label, "votes": o.n if results["show_results"] else None, "mine": o.mine}
                for o in results["options"]
            ],
        }


class TopicCreateSerializer(StrictFields, serializers.Serializer):
    space_id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    body = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    kind = serializers.CharField(
        default=TopicKind.DISCUSSION, help_text="discussion, question, announcement, poll or article"
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=40), default=list)
    poll_options = serializers.ListField(child=serializers.CharField(max_length=200), default=list)
    poll_multiple = serializers.BooleanField(default=False)
    poll_closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    poll_results = serializers.ChoiceField(choices=ResultsVisibility.choices, default=ResultsVisibility.ALWAYS)
    publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class TopicUpdateSerializer(StrictFields, serializers.Serializer):
    title = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    body = serializers.CharField(allow_blank=True, required=False, trim_whitespace=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)


class ModerateSerializer(StrictFields, serializers.Serializer):
    pin = serializers.ChoiceField(choices=Pin.choices, required=False, allow_blank=True)
    locked = serializers.BooleanField(required=False, allow_null=True, default=None)
    archived = serializers.BooleanField(required=False, allow_null=True, default=None)
    space_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    merge_into = serializers.IntegerField(required=False, allow_null=True, default=None)


class SplitSerializer(StrictFields, serializers.Serializer):
    title = serializers.CharField(allow_blank=True, default="")
    reply_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class ReplySerializer(serializers.ModelSerializer):
    author = AuthorSerializer(read_only=True, allow_null=True)
    body = serializers.SerializerMethodField()
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id",
            "topic_id",
            "position",
            "author",
            "body",
            "body_html",
            "reply_to_id",
            "quote_of_id",
            "created_at",
            "edited_at",
            "deleted_at",
        ]
        read_only_fields = fields

    def get_body(self, reply) -> str:
        return "" if reply.deleted_at else reply.body

    def get_body_html(self, reply) -> str:
        return "" if reply.deleted_at else reply.body_html


class ReplyCreateSerializer(StrictFields, serializers.Serializer):
    body = serializers.CharField(allow_blank=True, default="", trim_whitespace=False)
    reply_to_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    quote_of_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReplyUpdateSerializer(StrictFields, serializers.Serializer):
    body = serializers.CharField(allow_blank=True, trim_whitespace=False)


class AcceptSerializer(StrictFields, serializers.Serializer):
    reply_id = serializers.IntegerField(allow_null=True)


class VoteSerializer(StrictFields, serializers.Serializer):
    option_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)


class ReactionSerializer(StrictFields, serializers.Serializer):
    emoji = serializers.CharField(max_length=16)


class SubscriptionSerializer(StrictFields, serializers.ModelSerializer):
    topic_id = serializers.IntegerField(required=False, allow_null=True)
    space_id = serializers.IntegerField(required=False, allow_null=True)
    level = serializers.ChoiceField(choices=Level.choices)

    class Meta:
        model = Subscription
        fields = ["id", "topic_id", "space_id", "level", "created_at"]
        read_only_fields = ["id", "created_at"]


class NotificationSerializer(serializers.ModelSerializer):
    actor = AuthorSerializer(read_only=True, allow_null=True)
    kind = serializers.CharField(read_only=True, help_text="reply, mention, quote, accepted, reaction or watched")
    topic_title = serializers.CharField(source="topic.title", read_only=True)
    reply_position = serializers.IntegerField(source="reply.position", read_only=True, default=None)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "actor",
            "topic_id",
            "topic_title",
            "reply_id",
            "reply_position",
            "created_at",
            "read_at",
        ]
        read_only_fields = fields


class MarkReadSerializer(StrictFields, serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, allow_empty=True, max_length=1000,
        help_text="Notifications to mark read; leave out to mark all.",
    )  # fmt: skip


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    topic = TopicSerializer()
    reply_position = serializers.IntegerField(allow_null=True)
    rank = serializers.FloatField()
    snippet = serializers.CharField()
    created_at = serializers.DateTimeField()
