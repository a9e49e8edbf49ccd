"""Moderation API shapes: output serializers read only what the selectors loaded (no query per row)."""

from rest_framework import serializers

from integrations.models import RemovalStatus

from ..models import FlagReason, LogEntry, SanctionKind, SubjectKind
from ..services.queue import ACTIONS


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    status = serializers.CharField()
    joined_at = serializers.DateTimeField()
    activity_count = serializers.IntegerField()


class FlagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject_kind = serializers.CharField()
    subject_id = serializers.IntegerField()
    reporter_id = serializers.IntegerField()
    reporter_name = serializers.CharField(source="reporter.display_name")
    reason = serializers.CharField()
    note = serializers.CharField()
    weight = serializers.FloatField()
    trusted = serializers.BooleanField()
    outcome = serializers.CharField()
    item_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class QueueItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject_kind = serializers.CharField()
    subject_id = serializers.IntegerField()
    status = serializers.CharField()
    source = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    spam = serializers.FloatField(allow_null=True)
    toxicity = serializers.FloatField(allow_null=True)
    flag_count = serializers.IntegerField()
    priority = serializers.FloatField()
    title = serializers.CharField()
    excerpt = serializers.CharField()
    url = serializers.CharField()
    content_hidden = serializers.BooleanField()
    author = PersonSerializer(allow_null=True)
    author_sanctions = serializers.IntegerField()
    author_upheld = serializers.IntegerField(help_text="Earlier items on this author that were removed or hidden.")
    claimed_by_id = serializers.IntegerField(allow_null=True)
    claimed_until = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    flags = FlagSerializer(many=True, source="flags.all")
    channel_removal_status = serializers.ChoiceField(
        choices=RemovalStatus.values,
        allow_null=True,
        help_text="For a channel activity that was removed: its deletion on the platform. Null otherwise.",
    )
    channel_removal_error = serializers.CharField(allow_null=True, help_text="Why the platform refused, if it did.")


class ActSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=list(ACTIONS))
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    body = serializers.CharField(
        required=False, max_length=50000, help_text="With action `edit`: the corrected text of the forum post."
    )
    title = serializers.CharField(required=False, max_length=200, help_text="With action `edit` on a topic: its title.")


class BulkSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=[a for a in ACTIONS if a != "edit"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")
    item_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


class ModerationBulkResultSerializer(serializers.Serializer):
    done = serializers.ListField(child=serializers.IntegerField())
    skipped = serializers.ListField(child=serializers.IntegerField())


class OpenSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=[SubjectKind.TOPIC, SubjectKind.REPLY, SubjectKind.ACTIVITY])
    subject_id = serializers.IntegerField(min_value=1)
    reasons = serializers.ListField(child=serializers.CharField(max_length=80), max_length=20, default=list)
    spam = serializers.FloatField(min_value=0, max_value=1, required=False, allow_null=True, default=None)
    toxicity = serializers.FloatField(min_value=0, max_value=1, required=False, allow_null=True, default=None)


class FlagCreateSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(choices=[SubjectKind.TOPIC, SubjectKind.REPLY])
    subject_id = serializers.IntegerField(min_value=1)
    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")


class SanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    member_id = serializers.IntegerField()
    member_name = serializers.CharField(source="member.display_name")
    kind = serializers.CharField()
    reason = serializers.CharField()
    guideline = serializers.CharField()
    issued_by_label = serializers.CharField()
    created_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    lifted_at = serializers.DateTimeField(allow_null=True)
    lifted_reason = serializers.CharField()
    is_active = serializers.BooleanField()


class SanctionCreateSerializer(serializers.Serializer):
    member_id = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    reason = serializers.CharField(max_length=2000)
    days = serializers.IntegerField(min_value=1, max_value=3650, required=False, allow_null=True, default=None)
    guideline = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class AppealSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sanction_id = serializers.IntegerField()
    sanction_kind = serializers.CharField(source="sanction.kind")
    member_id = serializers.IntegerField()
    member_name = serializers.CharField(source="member.display_name")
    body = serializers.CharField()
    status = serializers.CharField()
    outcome_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class DecideSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class LogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LogEntry
        fields = ["id", "created_at", "actor_member_id", "actor_label", "action", "subject_kind", "subject_id",
                  "target_member_id", "reason", "before", "after"]  # fmt: skip
