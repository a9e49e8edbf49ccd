"""Feedback API views: the same services, selectors and policy actions as the pages."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from community.api.base import CommunityViewSet
from community.errors import ServiceError
from community.selectors import access_member
from community.selectors.activities import access_activity

from .. import selectors
from ..models import Idea, IdeaStatus
from ..services import evidence as evidence_services
from ..services import ideas as idea_services
from ..services import merges as merge_services
from ..services import votes as vote_services
from . import serializers as s

READ, MANAGE = "feedback.read", "feedback.manage"


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _params(view) -> dict:
    return view.request.query_params if view.request is not None else {}


class VotesCursorPagination(CursorPagination):
    ordering = ("-vote_count", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class BoardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.BoardSerializer
    filter_backends: list = []
    pagination_class = None
    action_permissions = {"list": READ, "retrieve": READ}

    def scoped_queryset(self, community):
        return selectors.board_list(community=community, actor=self.actor)


class IdeaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.IdeaSerializer
    pagination_class = VotesCursorPagination
    filter_backends: list = []
    # Votes: a member for themself (feedback.vote) or staff/a key on behalf of one (feedback.manage); the service
    # decides which, so the view only asks for read access to the community's feedback.
    action_permissions = {
        "list": READ, "retrieve": READ, "create": "feedback.post", "votes": READ, "status_change": MANAGE,
        "merge": MANAGE, "evidence": READ,
    }  # fmt: skip

    def _board(self, community, value: str):
        lookup = (
            {"board_id": int(value)} if value.isascii() and value.isdigit() and len(value) < 18 else {"slug": value}
        )
        try:
            return selectors.access_board(community=community, actor=self.actor, **lookup)
        except Http404:
            raise ServiceError("board: no such board.", field="board") from None

    def scoped_queryset(self, community):
        params = _params(self)
        board = self._board(community, params["board"]) if params.get("board") else None
        status_key = params.get("status") or ""
        if status_key and not IdeaStatus.objects.for_community(community).filter(key=status_key[:40]).exists():
            raise ServiceError("status: no such status.", field="status")
        return selectors.idea_list(
            community=community, actor=self.actor, board=board, status=status_key, tag=(params.get("tag") or "")[:40],
            q=(params.get("search") or "")[:200],
        )  # fmt: skip

    def get_object(self) -> Idea:
        return selectors.access_idea(community=self.community, actor=self.actor, idea_id=self.kwargs["pk"])

    def _live(self) -> Idea:
        return selectors.access_idea(community=self.community, actor=self.actor, idea_id=self.kwargs["pk"], live=True)

    def _detail(self, idea: Idea, code=status.HTTP_200_OK):
        idea = selectors.access_idea(community=self.community, actor=self.actor, idea_id=idea.pk)
        return Response(s.IdeaSerializer(idea).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("board", str, description="A board's slug or id."),
            OpenApiParameter("status", str, description="A status key (open, planned, shipped …)."),
            OpenApiParameter("tag", str),
            OpenApiParameter("search", str, description="Full-text search of titles and descriptions."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.IdeaCreateSerializer, responses={201: s.IdeaSerializer})
    def create(self, request, *args, **kwargs):
        """Post an idea as the signed-in member (a topic in the board's ideas space); keys cannot: ideas are people's."""
        data = _valid(s.IdeaCreateSerializer, request.data)
        board = self._board(self.community, data.pop("board"))
        idea = idea_services.idea_post(community=self.community, actor=self.actor, board=board, **data)
        return self._detail(idea, status.HTTP_201_CREATED)

    @extend_schema(request=s.IdeaStatusChangeSerializer, responses=s.IdeaSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def status_change(self, request, *args, **kwargs):
        idea = self._live()
        data = _valid(s.IdeaStatusChangeSerializer, request.data)
        new = IdeaStatus.objects.for_community(self.community).filter(key=data["status"]).first()
        if new is None:
            raise ServiceError("status: no such status.", field="status")
        idea = idea_services.idea_status_change(
            community=self.community, actor=self.actor, idea=idea, status=new, response=data["response"]
        )
        return self._detail(idea)

    @extend_schema(methods=["post"], request=s.IdeaVoteSerializer, responses=s.IdeaVoteResultSerializer)
    @extend_schema(methods=["delete"], request=s.IdeaVoteSerializer, responses=s.IdeaVoteResultSerializer)
    @action(detail=True, methods=["post", "delete"])
    def votes(self, request, *args, **kwargs):
        idea = self._live()
        data = _valid(s.IdeaVoteSerializer, request.data)
        member = None
        if data["member_id"] is not None:
            try:
                member = access_member(community=self.community, member_id=data["member_id"])
            except Http404:
                raise ServiceError("member_id: no such member.", code="not_found", field="member_id") from None
        if request.method == "DELETE":
            removed = vote_services.vote_remove(community=self.community, actor=self.actor, idea=idea, member=member)
            voter_id = member.pk if member else self.actor.member.pk
            body = {"member_id": voter_id, "importance": "", "on_behalf": member is not None, "created": False,
                    "removed": removed, "vote_count": idea.vote_count}  # fmt: skip
            return Response(body)
        vote, created = vote_services.vote_cast(
            community=self.community, actor=self.actor, idea=idea, member=member, importance=data["importance"]
        )
        refreshed = selectors.access_idea(community=self.community, actor=self.actor, idea_id=idea.pk)
        body = {"member_id": vote.member_id, "importance": vote.importance, "on_behalf": vote.on_behalf,
                "created": created, "vote_count": refreshed.vote_count}  # fmt: skip
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=s.IdeaMergeSerializer, responses=s.IdeaSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        source = self._live()
        data = _valid(s.IdeaMergeSerializer, request.data)
        try:
            target = selectors.access_idea(community=self.community, actor=self.actor, idea_id=data["into"], live=True)
        except Http404:
            raise ServiceError("into: no such idea.", code="not_found", field="into") from None
        target = merge_services.idea_merge(community=self.community, actor=self.actor, source=source, target=target)
        return self._detail(target)

    @extend_schema(methods=["get"], responses=s.IdeaEvidenceSerializer(many=True))
    @extend_schema(methods=["post"], request=s.IdeaEvidenceInputSerializer, responses={201: s.IdeaEvidenceSerializer})
    @action(detail=True, methods=["get", "post"])
    def evidence(self, request, *args, **kwargs):
        if request.method == "GET":
            idea = self.get_object()
            rows = selectors.evidence_list(community=self.community, idea=idea)[:200]
            return Response(s.IdeaEvidenceSerializer(rows, many=True).data)
        idea = self._live()
        data = _valid(s.IdeaEvidenceInputSerializer, request.data)
        try:
            activity = access_activity(community=self.community, activity_id=data["activity_id"])
        except Http404:
            raise ServiceError("activity_id: no such activity.", code="not_found", field="activity_id") from None
        evidence = evidence_services.evidence_attach(
            community=self.community, actor=self.actor, idea=idea, activity=activity, note=data["note"]
        )
        evidence = selectors.evidence_list(community=self.community, idea=idea).get(pk=evidence.pk)
        return Response(s.IdeaEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)
