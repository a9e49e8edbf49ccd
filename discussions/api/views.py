"""Forum API: spaces, topics (filters, search), replies, reactions, accept, votes, subscriptions, notifications.

Same services and selectors as the pages, so the same rules: a refusal is a ServiceError, mapped centrally.
"""

import django_filters
from django.contrib.postgres.search import SearchQuery
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from community.api.base import CommunityViewSet
from community.errors import ServiceError

from .. import selectors
from ..models import Reply, Subscription, Topic
from ..models.topic import SEARCH_CONFIG
from ..services import engagement, notifications, replies, spaces, subscriptions, topics
from . import serializers as s

READ, POST, MODERATE, MANAGE = "discussions.read", "discussions.post", "discussions.moderate", "discussions.manage"

HELD_RESPONSE = OpenApiResponse(description='Held for review: {"id", "held": true, "message"}; shown once approved.')


def _held(object_id: int) -> Response:
    """A post a content check held for review: stored, not shown until a moderator approves it (202, not 201)."""
    message = "Your post is waiting for a moderator's review and will appear once it is approved."
    return Response({"id": object_id, "held": True, "message": message}, status=status.HTTP_202_ACCEPTED)


def _bool(value: str) -> bool | None:
    return {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(value.lower())


class SpaceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.SpaceSerializer
    action_permissions = {"list": READ, "retrieve": READ, "create": MANAGE}
    pagination_class = None

    def scoped_queryset(self, community):
        return selectors.space_list(community=community, actor=self.actor)

    def create(self, request, *args, **kwargs):
        serializer = s.SpaceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        space = spaces.space_create(community=self.community, actor=self.actor, **serializer.validated_data)
        return Response(s.SpaceSerializer(space).data, status=status.HTTP_201_CREATED)


class TopicFilter(django_filters.FilterSet):
    space = django_filters.CharFilter(method="filter_space")
    tag = django_filters.CharFilter(field_name="tags", lookup_expr="contains", method="filter_tag")
    kind = django_filters.CharFilter()
    author = django_filters.NumberFilter(field_name="author_id")
    solved = django_filters.CharFilter(method="filter_solved")
    since = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Topic
        fields = ["kind"]

    def filter_space(self, queryset, name, value):
        return queryset.filter(space__id=value) if value.isdigit() else queryset.filter(space__slug=value)

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__contains=[value.lower()])

    def filter_solved(self, queryset, name, value):
        solved = _bool(value)
        return queryset if solved is None else queryset.filter(accepted_reply__isnull=not solved)

    def filter_q(self, queryset, name, value):
        return queryset.filter(search_vector=SearchQuery(value, search_type="websearch", config=SEARCH_CONFIG))


class TopicViewSet(mixins.ListModelMixin, CommunityViewSet):
    serializer_class = s.TopicSerializer
    filterset_class = TopicFilter
    action_permissions = {
        "list": READ,
        "retrieve": READ,
        "search": READ,
        "create": POST,
        "partial_update": POST,
        "destroy": POST,
        "accept": POST,
        "vote": POST,
        "reactions": POST,
        "bookmark": POST,
        "subscription": POST,
        "moderate": MODERATE,
        "split": MODERATE,
    }

    def scoped_queryset(self, community):
        qs = selectors.topic_queryset(community=community, actor=self.actor)
        return selectors.with_unread(qs, community=community, actor=self.actor)

    def _topic(self) -> Topic:
        return selectors.access_topic(community=self.community, actor=self.actor, topic_id=self.kwargs["pk"])

    def _detail(self, topic: Topic, code=status.HTTP_200_OK) -> Response:
        poll = selectors.poll_results(community=self.community, actor=self.actor, topic=topic)
        return Response(s.TopicDetailSerializer(topic, context={"poll": poll}).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self._topic())

    @extend_schema(request=s.TopicCreateSerializer, responses={201: s.TopicDetailSerializer, 202: HELD_RESPONSE})
    def create(self, request, *args, **kwargs):
        data = _valid(s.TopicCreateSerializer, request.data)
        space = selectors.access_space(community=self.community, actor=self.actor, space_id=data.pop("space_id"))
        topic = topics.topic_create(community=self.community, actor=self.actor, space=space, **data)
        if topic.deleted_at is not None:
            return _held(topic.pk)
        return self._detail(
            selectors.access_topic(community=self.community, actor=self.actor, topic_id=topic.pk),
            status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.TopicUpdateSerializer, responses=s.TopicDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        topic = self._topic()  # the object first: another community's id is a 404 whatever the body
        data = _valid(s.TopicUpdateSerializer, request.data)
        topic = topics.topic_update(community=self.community, actor=self.actor, topic=topic, **data)
        return self._detail(topic)

    def destroy(self, request, *args, **kwargs):
        topics.topic_delete(community=self.community, actor=self.actor, topic=self._topic())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.SearchHitSerializer(many=True))
    @action(detail=False, methods=["get"])
    def search(self, request, *args, **kwargs):
        params = request.query_params
        space = None
        if params.get("space"):
            key = params["space"]
            space = selectors.access_space(
                community=self.community,
                actor=self.actor,
                **({"space_id": int(key)} if key.isdigit() else {"slug": key}),
            )
        hits = selectors.search(
            community=self.community,
            actor=self.actor,
            q=params.get("q", ""),
            space=space,
            tag=params.get("tag", ""),
            kind=params.get("kind", ""),
            author_id=int(params["author"]) if params.get("author", "").isdigit() else None,
            solved=_bool(params.get("solved", "")),
        )
        return Response({"results": s.SearchHitSerializer(hits, many=True).data})

    @extend_schema(request=s.AcceptSerializer, responses=s.TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        topic = self._topic()
        reply_id = _valid(s.AcceptSerializer, request.data)["reply_id"]
        reply = _reply_of(self, topic, reply_id) if reply_id else None
        return self._detail(replies.answer_accept(community=self.community, actor=self.actor, topic=topic, reply=reply))

    @extend_schema(request=s.VoteSerializer, responses=s.TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, *args, **kwargs):
        topic = self._topic()
        if not hasattr(topic, "poll"):
            raise ServiceError("This topic has no poll.", code="not_found")
        option_ids = _valid(s.VoteSerializer, request.data)["option_ids"]
        engagement.poll_vote(community=self.community, actor=self.actor, poll=topic.poll, option_ids=option_ids)
        return self._detail(topic)

    @extend_schema(request=s.ReactionSerializer)
    @action(detail=True, methods=["post"])
    def reactions(self, request, *args, **kwargs):
        topic = self._topic()
        emoji = _valid(s.ReactionSerializer, request.data)["emoji"]
        added = engagement.reaction_toggle(community=self.community, actor=self.actor, topic=topic, emoji=emoji)
        return Response({"emoji": emoji, "reacted": added})

    @action(detail=True, methods=["post"])
    def bookmark(self, request, *args, **kwargs):
        added = engagement.bookmark_toggle(community=self.community, actor=self.actor, topic=self._topic())
        return Response({"bookmarked": added})

    @extend_schema(request=s.SubscriptionSerializer, responses=s.SubscriptionSerializer)
    @action(detail=True, methods=["post"])
    def subscription(self, request, *args, **kwargs):
        topic = self._topic()
        sub = subscriptions.subscription_set(
            community=self.community, actor=self.actor, topic=topic, level=request.data.get("level", "")
        )
        return Response(s.SubscriptionSerializer(sub).data)

    @extend_schema(request=s.ModerateSerializer, responses=s.TopicDetailSerializer)
    @action(detail=True, methods=["post"])
    def moderate(self, request, *args, **kwargs):
        topic = self._topic()
        data = _valid(s.ModerateSerializer, request.data)
        if data["merge_into"]:
            target = selectors.access_topic(community=self.community, actor=self.actor, topic_id=data["merge_into"])
            merged = topics.topic_merge(community=self.community, actor=self.actor, source=topic, target=target)
            return self._detail(selectors.access_topic(community=self.community, actor=self.actor, topic_id=merged.pk))
        space = None
        if data["space_id"]:
            space = selectors.access_space(community=self.community, actor=self.actor, space_id=data["space_id"])
        topic = topics.topic_moderate(
            community=self.community,
            actor=self.actor,
            topic=topic,
            pin=data.get("pin"),
            locked=data["locked"],
            archived=data["archived"],
            space=space,
        )
        return self._detail(topic)

    @extend_schema(request=s.SplitSerializer, responses={201: s.TopicDetailSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, *args, **kwargs):
        topic = self._topic()
        data = _valid(s.SplitSerializer, request.data)
        new = topics.topic_split(community=self.community, actor=self.actor, topic=topic, **data)
        return self._detail(
            selectors.access_topic(community=self.community, actor=self.actor, topic_id=new.pk), status.HTTP_201_CREATED
        )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _reply_of(view, topic: Topic, reply_id: int) -> Reply:
    reply = selectors.access_reply(community=view.community, actor=view.actor, reply_id=reply_id)
    if reply.topic_id != topic.pk:
        raise ServiceError("Choose a reply of this topic.", field="reply_id")
    return reply


class PositionCursorPagination(CursorPagination):
    ordering = "position"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class TopicReplyViewSet(mixins.ListModelMixin, CommunityViewSet):
    """/topics/<topic_id>/replies/: the replies of one topic, oldest first; POST replies."""

    serializer_class = s.ReplySerializer
    pagination_class = PositionCursorPagination
    action_permissions = {"list": READ, "create": POST}

    def scoped_queryset(self, community):
        topic = selectors.access_topic(community=community, actor=self.actor, topic_id=self.kwargs["topic_id"])
        return selectors.reply_list(community=community, topic=topic)

    @extend_schema(request=s.ReplyCreateSerializer, responses={201: s.ReplySerializer, 202: HELD_RESPONSE})
    def create(self, request, *args, **kwargs):
        topic = selectors.access_topic(community=self.community, actor=self.actor, topic_id=self.kwargs["topic_id"])
        data = _valid(s.ReplyCreateSerializer, request.data)
        reply_to = _reply_of(self, topic, data["reply_to_id"]) if data["reply_to_id"] else None
        quote_of = _reply_of(self, topic, data["quote_of_id"]) if data["quote_of_id"] else None
        reply = replies.reply_create(
            community=self.community,
            actor=self.actor,
            topic=topic,
            body=data["body"],
            reply_to=reply_to,
            quote_of=quote_of,
        )
        if reply.deleted_at is not None:
            return _held(reply.pk)
        return Response(s.ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


class ReplyViewSet(mixins.RetrieveModelMixin, CommunityViewSet):
    serializer_class = s.ReplySerializer
    action_permissions = {"retrieve": READ, "partial_update": POST, "destroy": POST, "reactions": POST}

    def scoped_queryset(self, community):
        return Reply.objects.for_community(community).select_related("author")

    def get_object(self):
        return selectors.access_reply(community=self.community, actor=self.actor, reply_id=self.kwargs["pk"])

    @extend_schema(request=s.ReplyUpdateSerializer, responses=s.ReplySerializer)
    def partial_update(self, request, *args, **kwargs):
        reply = self.get_object()
        body = _valid(s.ReplyUpdateSerializer, request.data)["body"]
        reply = replies.reply_update(community=self.community, actor=self.actor, reply=reply, body=body)
        return Response(s.ReplySerializer(reply).data)

    def destroy(self, request, *args, **kwargs):
        replies.reply_delete(community=self.community, actor=self.actor, reply=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.ReactionSerializer)
    @action(detail=True, methods=["post"])
    def reactions(self, request, *args, **kwargs):
        reply = self.get_object()
        emoji = _valid(s.ReactionSerializer, request.data)["emoji"]
        added = engagement.reaction_toggle(
            community=self.community, actor=self.actor, topic=reply.topic, reply=reply, emoji=emoji
        )
        return Response({"emoji": emoji, "reacted": added})


class _MemberOnly:
    def _member(self):
        if not self.actor.is_member:
            raise PermissionDenied("Notifications and subscriptions belong to members; API keys have none.")
        return self.actor.member


class NotificationViewSet(_MemberOnly, mixins.ListModelMixin, CommunityViewSet):
    serializer_class = s.NotificationSerializer
    action_permissions = {"list": POST, "read": POST}

    def scoped_queryset(self, community):
        return selectors.notification_list(community=community, member=self._member())

    @extend_schema(request=s.MarkReadSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request, *args, **kwargs):
        ids = _valid(s.MarkReadSerializer, request.data).get("ids")
        count = notifications.notification_mark_read(
            community=self.community, actor=self.actor, ids=ids if ids else None
        )
        return Response({"marked_read": count})


class SubscriptionViewSet(_MemberOnly, mixins.ListModelMixin, CommunityViewSet):
    serializer_class = s.SubscriptionSerializer
    action_permissions = {"list": POST, "create": POST}

    def scoped_queryset(self, community):
        return Subscription.objects.for_community(community).filter(member=self._member())

    def create(self, request, *args, **kwargs):
        self._member()
        data = _valid(s.SubscriptionSerializer, request.data)
        topic = space = None
        if data.get("topic_id"):
            topic = selectors.access_topic(community=self.community, actor=self.actor, topic_id=data["topic_id"])
        if data.get("space_id"):
            space = selectors.access_space(community=self.community, actor=self.actor, space_id=data["space_id"])
        sub = subscriptions.subscription_set(
            community=self.community, actor=self.actor, level=data["level"], topic=topic, space=space
        )
        return Response(s.SubscriptionSerializer(sub).data, status=status.HTTP_201_CREATED)
