"""Serializers of the community core API. Output serializers never query."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.api.strict import StrictFields
from community.models import ApiKey, Community, Invitation, Role
from community.registry import api_scopes
from community.services.domains import domain_challenge


class DomainChallengeSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["dns-txt"])
    name = serializers.CharField()
    value = serializers.CharField()


class CommunitySerializer(StrictFields, serializers.ModelSerializer):
    # Only the host name; services/domains.py validates it (IDNA, no scheme/path/port, not the platform's own).
    domain = serializers.CharField(max_length=253, allow_null=True, allow_blank=True, required=False)
    settings = serializers.DictField(required=False, help_text="The community's settings (an object).")
    domain_verified = serializers.SerializerMethodField()
    domain_challenge = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = [
            "id", "name", "slug", "domain", "domain_verified", "domain_challenge",
            "description", "visibility", "settings", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "slug", "created_at"]

    def get_domain_verified(self, community) -> bool:
        """True once the DNS challenge was met: only then is the community served on its domain."""
        return community.domain_active

    @extend_schema_field(DomainChallengeSerializer(allow_null=True))
    def get_domain_challenge(self, community) -> dict | None:
        """The TXT record to publish to verify the domain (null without a domain)."""
        return domain_challenge(community)


class InvitationSerializer(StrictFields, serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
        read_only_fields = ["id", "created_at", "expires_at", "accepted_at", "revoked_at"]


class ApiKeySerializer(StrictFields, serializers.ModelSerializer):
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=api_scopes()), allow_empty=False)

    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at", "revoked_at"]


class ApiKeyCreatedSerializer(ApiKeySerializer):
    key = serializers.CharField(read_only=True, help_text="The secret, shown once.")

    class Meta(ApiKeySerializer.Meta):
        fields = [*ApiKeySerializer.Meta.fields, "key"]
