"""Members API: the directory's filters, profile edits, identities and activities, merges, GDPR export and erase.

Also organizations, segments and the merge-suggestion queue, which only make sense beside members.
"""

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community.api.params import require_moments
from community.api.strict import StrictFields
from community.models import CustomField, Identity, Member, MemberMerge, MergeSuggestion, Organization, Segment
from community.selectors.activities import activity_list
from community.selectors.members import (
    FILTER_KEYS,
    access_member_profile,
    access_merge,
    access_suggestion,
    custom_field_list,
    identity_list,
    member_directory,
    organization_list,
    segment_list,
    suggestion_list,
)
from community.services import members as member_services
from community.services import merges as merge_services
from community.services import organizations as organization_services
from community.services import privacy as privacy_services
from community.services import profiles as profile_services
from community.services import segments as segment_services

from .activities import FILTER_PARAMETERS, ActivitySerializer, OccurredCursorPagination, activity_filters
from .base import CommunityViewSet


class OrganizationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberDetailSerializer(StrictFields, serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(allow_null=True, read_only=True)
    organization_id = serializers.IntegerField(allow_null=True, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    emails = serializers.ListField(child=serializers.EmailField(), required=False)
    custom_fields = serializers.DictField(required=False, help_text="Values of the community's custom fields.")

    class Meta:
        model = Member
        fields = [
            "id",
            "display_name",
            "handle",
            "email",
            "emails",
            "avatar_url",
            "bio",
            "location",
            "organization",
            "organization_id",
            "tags",
            "custom_fields",
            "role",
            "status",
            "joined_at",
            "first_seen_at",
            "last_active_at",
            "activity_count",
            "merged_into_id",
        ]
        read_only_fields = ["id", "joined_at", "first_seen_at", "last_active_at", "activity_count", "merged_into_id"]


class IdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Identity
        fields = ["id", "channel", "external_id", "handle", "name", "email", "email_verified", "url", "created_at"]


class MergeSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberMerge
        fields = ["id", "target_id", "source_id", "identity_ids", "activity_ids", "created_at", "undone_at"]


class MergeInputSerializer(StrictFields, serializers.Serializer):
    source = serializers.IntegerField(help_text="The member merged into this one (it is kept, marked merged).")


MEMBER_PARAMETERS = [
    OpenApiParameter(name, str)
    for name in ("search", "tag", "segment", "organization", "channel", "status", "role", "active_from", "active_to")
]


def member_filters(params) -> dict:
    require_moments(params, "active_from", "active_to")
    filters = {key: params.get(key) for key in FILTER_KEYS if params.get(key)}
    if params.get("search"):
        filters["q"] = params["search"]
    return filters


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = MemberDetailSerializer
    filter_backends: list = []
    action_permissions = {
        "list": "members.view",
        "retrieve": "members.view",
        "partial_update": "members.update",
        "activities": "activities.view",
        "identities": "members.view",
        "merge": "members.merge",
        "export": "members.export",
        "erase": "members.erase",
    }

    def scoped_queryset(self, community):
        if self.action == "list":
            params = self.request.query_params
            return member_directory(
                community=community, filters=member_filters(params), segment_id=params.get("segment")
            ).order_by("-id")
        return Member.objects.for_community(community).select_related("organization").order_by("-id")

    def _member(self) -> Member:
        return access_member_profile(community=self.community, member_id=self.kwargs["pk"])

    @extend_schema(parameters=MEMBER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return Response(MemberDetailSerializer(self._member()).data)

    def partial_update(self, request, *args, **kwargs):
        member = self._member()
        serializer = MemberDetailSerializer(member, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        admin = {key: data.pop(key) for key in ("role", "status") if key in data}
        if "organization_id" in data:
            data["organization"] = data.pop("organization_id")
        with transaction.atomic():
            if admin:
                member = member_services.member_update(
                    community=self.community, actor=self.actor, member=member, **admin
                )
            if data:
                member = profile_services.member_profile_update(
                    community=self.community, actor=self.actor, member=member, **data
                )
        return Response(MemberDetailSerializer(self._member()).data)

    @extend_schema(parameters=FILTER_PARAMETERS, responses=ActivitySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=OccurredCursorPagination)
    def activities(self, request, *args, **kwargs):
        member = self._member()
        filters = {**activity_filters(request.query_params), "member": member.pk}
        page = self.paginate_queryset(activity_list(community=self.community, filters=filters))
        return self.get_paginated_response(ActivitySerializer(page, many=True).data)

    @extend_schema(responses=IdentitySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # a member has a handful: one plain list
    def identities(self, request, *args, **kwargs):
        member = self._member()
        return Response(
            IdentitySerializer(identity_list(community=self.community, member_id=member.pk), many=True).data
        )

    @extend_schema(request=MergeInputSerializer, responses=MergeSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        """Merge another member (`source`) into this one; undo with POST /merges/{id}/undo/."""
        target = self._member()
        serializer = MergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        source = access_member_profile(community=self.community, member_id=serializer.validated_data["source"])
        merge = merge_services.member_merge(community=self.community, actor=self.actor, target=target, source=source)
        return Response(MergeSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def export(self, request, *args, **kwargs):
        """GDPR: everything Hearth holds on this member, as JSON (recorded in the audit trail)."""
        data = privacy_services.member_export(community=self.community, actor=self.actor, member=self._member())
        return Response(data)

    @extend_schema(request=None, responses=MemberDetailSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request, *args, **kwargs):
        """GDPR: anonymize the member; activities stay without a member, identities are deleted."""
        member = privacy_services.member_erase(community=self.community, actor=self.actor, member=self._member())
        return Response(MemberDetailSerializer(member).data)


class MergeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = MergeSerializer
    action_permissions = {"list": "members.view", "retrieve": "members.view", "undo": "members.merge"}

    def scoped_queryset(self, community):
        return MemberMerge.objects.for_community(community).order_by("-id")

    @extend_schema(request=None, responses=MemberDetailSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, *args, **kwargs):
        merge = access_merge(community=self.community, merge_id=kwargs["pk"])
        source = merge_services.member_unmerge(community=self.community, actor=self.actor, merge=merge)
        return Response(MemberDetailSerializer(source).data)


class SuggestionSerializer(serializers.ModelSerializer):
    member = MemberDetailSerializer(read_only=True)
    other = MemberDetailSerializer(read_only=True)
    status = serializers.CharField(read_only=True, help_text="open | merged | dismissed")

    class Meta:
        model = MergeSuggestion
        fields = ["id", "member", "other", "reason", "status", "created_at"]


class SuggestionViewSet(mixins.ListModelMixin, CommunityViewSet):
    serializer_class = SuggestionSerializer
    action_permissions = {"list": "members.view", "accept": "members.merge", "dismiss": "members.merge"}

    def scoped_queryset(self, community):
        return suggestion_list(community=community).select_related("member__organization", "other__organization")

    @extend_schema(request=None, responses=MergeSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        """Merge the pair (the newer member into the older one)."""
        suggestion = access_suggestion(community=self.community, suggestion_id=kwargs["pk"])
        merge = merge_services.suggestion_accept(community=self.community, actor=self.actor, suggestion=suggestion)
        return Response(MergeSerializer(merge).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, *args, **kwargs):
        suggestion = access_suggestion(community=self.community, suggestion_id=kwargs["pk"])
        merge_services.suggestion_dismiss(community=self.community, actor=self.actor, suggestion=suggestion)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationSerializer(StrictFields, serializers.ModelSerializer):
    domains = serializers.ListField(child=serializers.CharField(max_length=253), required=False)
    member_count = serializers.IntegerField(read_only=True, default=0)
    activity_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Organization
        fields = ["id", "name", "domains", "website", "description", "member_count", "activity_count", "created_at"]
        read_only_fields = ["id", "created_at"]


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = OrganizationSerializer
    action_permissions = {
        "list": "organizations.view",
        "retrieve": "organizations.view",
        "create": "organizations.manage",
        "partial_update": "organizations.manage",
    }

    def scoped_queryset(self, community):
        return organization_list(community=community).order_by("-id")

    def create(self, request, *args, **kwargs):
        serializer = OrganizationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = organization_services.organization_create(
            community=self.community, actor=self.actor, **serializer.validated_data
        )
        organization = organization_list(community=self.community).get(pk=organization.pk)
        return Response(OrganizationSerializer(organization).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        organization = self.get_object()
        serializer = OrganizationSerializer(organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization_services.organization_update(
            community=self.community, actor=self.actor, organization=organization, **serializer.validated_data
        )
        organization = organization_list(community=self.community).get(pk=organization.pk)
        return Response(OrganizationSerializer(organization).data)


class SegmentSerializer(StrictFields, serializers.ModelSerializer):
    filters = serializers.DictField(child=serializers.CharField(allow_blank=True))

    class Meta:
        model = Segment
        fields = ["id", "name", "filters", "created_at"]
        read_only_fields = ["id", "created_at"]


class SegmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = SegmentSerializer
    action_permissions = {
        "list": "members.view",
        "retrieve": "members.view",
        "create": "segments.manage",
        "destroy": "segments.manage",
    }

    def scoped_queryset(self, community):
        return segment_list(community=community).order_by("-id")

    def create(self, request, *args, **kwargs):
        serializer = SegmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        segment = segment_services.segment_create(
            community=self.community, actor=self.actor, **serializer.validated_data
        )
        return Response(SegmentSerializer(segment).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        segment_services.segment_delete(community=self.community, actor=self.actor, segment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CustomFieldSerializer(StrictFields, serializers.ModelSerializer):
    choices = serializers.ListField(child=serializers.CharField(max_length=120), required=False)
    kind = serializers.CharField(default="text", help_text="text | number | date | choice")

    class Meta:
        model = CustomField
        fields = ["id", "key", "label", "kind", "choices", "position"]
        read_only_fields = ["id", "position"]


class CustomFieldViewSet(mixins.ListModelMixin, CommunityViewSet):
    """Custom member fields; values are set through PATCH members/{id}/ {"custom_fields": {key: value}}."""

    serializer_class = CustomFieldSerializer
    action_permissions = {"list": "members.view", "create": "community.update"}

    def scoped_queryset(self, community):
        return custom_field_list(community=community).order_by("-id")

    def create(self, request, *args, **kwargs):
        serializer = CustomFieldSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        field = profile_services.custom_field_create(
            community=self.community, actor=self.actor, **serializer.validated_data
        )
        return Response(CustomFieldSerializer(field).data, status=status.HTTP_201_CREATED)
