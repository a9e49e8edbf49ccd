"""Moderation rules through the API: watched words (list, create, change, delete, test) and trust levels (list,
lock). The same services and policy actions as the rules page."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from community.api.base import CommunityViewSet
from community.errors import ServiceError
from community.selectors import access_member

from .. import selectors
from ..models import WordAction, WordKind
from ..services import trust as trust_services
from ..services import watched_words as services

VIEW, RULES, SANCTION = "moderation.view", "moderation.rules", "moderation.sanction"


class WatchedWordSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    pattern = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=WordKind.choices, default=WordKind.WORD)
    action = serializers.ChoiceField(choices=WordAction.choices)
    message = serializers.CharField(max_length=300, allow_blank=True, default="")
    created_at = serializers.DateTimeField(read_only=True)


class WordTestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20_000, allow_blank=True, trim_whitespace=False)


class WordMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pattern = serializers.CharField()
    kind = serializers.CharField()
    action = serializers.CharField()
    text = serializers.CharField()


class WordTestResultSerializer(serializers.Serializer):
    action = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    matches = WordMatchSerializer(many=True)
    censored = serializers.CharField()


class TrustSerializer(serializers.Serializer):
    member_id = serializers.IntegerField()
    member_name = serializers.CharField(source="member.display_name")
    level = serializers.IntegerField()
    locked = serializers.BooleanField()
    locked_by = serializers.CharField(source="locked_by_label")
    stats = serializers.DictField()
    computed_at = serializers.DateTimeField(allow_null=True)


class TrustLockSerializer(serializers.Serializer):
    member_id = serializers.IntegerField(min_value=1)
    level = serializers.IntegerField(min_value=0, max_value=4, required=False, allow_null=True)
    locked = serializers.BooleanField(default=True)


def _valid(serializer_class, data, partial=False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class WatchedWordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, CommunityViewSet):
    serializer_class = WatchedWordSerializer
    filter_backends: list = []
    action_permissions = {
        "list": VIEW, "retrieve": VIEW, "test": VIEW, "create": RULES, "update": RULES, "partial_update": RULES,
        "destroy": RULES,
    }  # fmt: skip

    def scoped_queryset(self, community):
        return selectors.watched_word_list(community=community)

    def get_object(self):
        return selectors.access_watched_word(community=self.community, word_id=self.kwargs["pk"])

    @extend_schema(request=WatchedWordSerializer, responses={201: WatchedWordSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(WatchedWordSerializer, request.data)
        word = services.watched_word_create(community=self.community, actor=self.actor, **data)
        return Response(WatchedWordSerializer(word).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=WatchedWordSerializer, responses=WatchedWordSerializer)
    def update(self, request, *args, **kwargs):
        word = self.get_object()
        data = _valid(WatchedWordSerializer, request.data, partial=kwargs.get("partial", False))
        word = services.watched_word_update(community=self.community, actor=self.actor, word=word, **data)
        return Response(WatchedWordSerializer(word).data)

    @extend_schema(request=WatchedWordSerializer, responses=WatchedWordSerializer)
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.watched_word_delete(community=self.community, actor=self.actor, word=instance)

    @extend_schema(request=WordTestSerializer, responses=WordTestResultSerializer)
    @action(detail=False, methods=["post"])
    def test(self, request, *args, **kwargs):
        """Which watched words a text matches and the action that would apply; nothing is stored."""
        data = _valid(WordTestSerializer, request.data)
        return Response(services.watched_words_test(community=self.community, text=data["text"]))


class TrustViewSet(mixins.ListModelMixin, CommunityViewSet):
    serializer_class = TrustSerializer
    filter_backends: list = []
    action_permissions = {"list": VIEW, "lock": SANCTION}

    def scoped_queryset(self, community):
        member_id = (self.request.query_params if self.request is not None else {}).get("member_id")
        if member_id is not None and not member_id.isdigit():
            raise ServiceError("member_id: a member's id.", field="member_id")
        return selectors.trust_list(community=community, member_id=int(member_id) if member_id else None)

    @extend_schema(parameters=[OpenApiParameter("member_id", int)], responses=TrustSerializer(many=True))
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TrustLockSerializer, responses=TrustSerializer)
    @action(detail=False, methods=["post"])
    def lock(self, request, *args, **kwargs):
        """Lock a member's level (`locked: true`, with `level`) or unlock it (`locked: false`)."""
        data = _valid(TrustLockSerializer, request.data)
        try:
            member = access_member(community=self.community, member_id=data["member_id"])
        except Http404:
            raise ServiceError("No such member.", code="not_found", field="member_id") from None
        trust = trust_services.trust_lock(
            community=self.community, actor=self.actor, member=member, level=data.get("level"), locked=data["locked"]
        )
        trust.member = member
        return Response(TrustSerializer(trust).data)
