"""Feedback API shapes: output serializers read only what the selectors loaded (no query per row)."""

from rest_framework import serializers

from community.api.strict import StrictFields

from ..models import Importance


class BoardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField()
    visibility = serializers.CharField()
    idea_count = serializers.IntegerField()


class IdeaStatusSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    colour = serializers.CharField()
    on_roadmap = serializers.BooleanField()
    is_closed = serializers.BooleanField()


class IdeaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic_id = serializers.IntegerField()
    title = serializers.CharField(source="topic.title")
    tags = serializers.ListField(child=serializers.CharField(), source="topic.tags")
    author_id = serializers.IntegerField(source="topic.author_id", allow_null=True)
    board = serializers.CharField(source="board.slug")
    status = IdeaStatusSerializer()
    vote_count = serializers.IntegerField()
    reply_count = serializers.IntegerField(source="topic.reply_count")
    staff_response = serializers.CharField()
    eta = serializers.DateField(allow_null=True)
    tracker_url = serializers.CharField()
    merged_into_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField(allow_null=True)


class IdeaCreateSerializer(StrictFields, serializers.Serializer):
    board = serializers.CharField(max_length=80, help_text="The board's slug or id.")
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=5, default=list)


class IdeaStatusChangeSerializer(StrictFields, serializers.Serializer):
    status = serializers.SlugField(max_length=40)
    response = serializers.CharField(required=False, allow_blank=True, max_length=10_000, default=None)


class IdeaVoteSerializer(StrictFields, serializers.Serializer):
    member_id = serializers.IntegerField(
        min_value=1, max_value=2**62, required=False, default=None, help_text="Vote on behalf of this member (staff)."
    )
    importance = serializers.ChoiceField(choices=Importance.values, default=Importance.NICE)


class IdeaVoteResultSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    importance = serializers.CharField()
    on_behalf = serializers.BooleanField()
    created = serializers.BooleanField()
    removed = serializers.BooleanField(required=False, help_text="On DELETE: whether a vote was there to remove.")
    vote_count = serializers.IntegerField()


class IdeaMergeSerializer(StrictFields, serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The idea this duplicate merges into.")


class IdeaEvidenceInputSerializer(StrictFields, serializers.Serializer):
    activity_id = serializers.IntegerField(min_value=1, max_value=2**62)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class IdeaEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity_id = serializers.IntegerField()
    channel = serializers.CharField(source="activity.channel")
    kind = serializers.CharField(source="activity.kind")
    title = serializers.CharField(source="activity.title")
    url = serializers.CharField(source="activity.url")
    member_id = serializers.IntegerField(source="activity.member_id", allow_null=True)
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
