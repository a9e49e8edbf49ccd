"""API views of the community core: the current community, members, invitations, API keys."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response
from rest_framework.views import APIView

from community.models import ApiKey
from community.selectors import api_key_list, invitation_list
from community.services import api_keys as api_key_services
from community.services import communities as community_services
from community.services import domains as domain_services
from community.services import invitations as invitation_services

from .base import CommunityMixin, CommunityViewSet
from .serializers import (
    ApiKeyCreatedSerializer,
    ApiKeySerializer,
    CommunitySerializer,
    InvitationSerializer,
)


class CurrentCommunityView(CommunityMixin, APIView):
    """The community this request is scoped to."""

    action_permissions = {"get": "community.view", "patch": "community.update"}

    @extend_schema(responses=CommunitySerializer)
    def get(self, request, *args, **kwargs):
        return Response(CommunitySerializer(self.community).data)

    @extend_schema(request=CommunitySerializer, responses=CommunitySerializer)
    def patch(self, request, *args, **kwargs):
        serializer = CommunitySerializer(self.community, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        community = community_services.community_update(
            community=self.community, actor=self.actor, **serializer.validated_data
        )
        return Response(CommunitySerializer(community).data)


class DomainVerifyView(CommunityMixin, APIView):
    """Check the DNS TXT challenge of the requested custom domain; 200 with the community once verified."""

    action_permissions = {"post": "community.update"}

    @extend_schema(request=None, responses=CommunitySerializer)
    def post(self, request, *args, **kwargs):
        community = domain_services.domain_verify(community=self.community, actor=self.actor)
        return Response(CommunitySerializer(community).data)


class InvitationViewSet(mixins.ListModelMixin, CommunityViewSet):
    serializer_class = InvitationSerializer
    action_permissions = {"*": "invitations.manage"}

    def scoped_queryset(self, community):
        return invitation_list(community=community)

    def create(self, request, *args, **kwargs):
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = invitation_services.invitation_create(
            community=self.community,
            actor=self.actor,
            **serializer.validated_data,
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        invitation = self.get_object()
        invitation_services.invitation_revoke(community=self.community, actor=self.actor, invitation=invitation)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = ApiKeySerializer
    action_permissions = {"*": "api_keys.manage"}

    def scoped_queryset(self, community):
        return api_key_list(community=community)

    @extend_schema(request=ApiKeySerializer, responses={201: ApiKeyCreatedSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ApiKeySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, raw_key = api_key_services.api_key_create(
            community=self.community, actor=self.actor, **serializer.validated_data
        )
        api_key.key = raw_key
        return Response(ApiKeyCreatedSerializer(api_key).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        api_key: ApiKey = self.get_object()
        api_key_services.api_key_revoke(community=self.community, actor=self.actor, api_key=api_key)
        return Response(status=status.HTTP_204_NO_CONTENT)
