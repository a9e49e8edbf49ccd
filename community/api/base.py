"""The base of every tenant API view: resolve the community, enter its scope, decide permissions.

The community comes from the URL (`/api/v1/c/<slug>/…`) or from the API key (`/api/v1/…`), never from a
session preference. Subclasses give `scoped_queryset(community)` and `action_permissions`; they cannot
reach `get_queryset` without the scope.
"""

from contextlib import ExitStack

from django.http import Http404
from rest_framework import exceptions, viewsets

from community.models import ApiKey
from community.policy import Actor, can
from community.selectors import community_get_by_slug, member_for_user
from community.tenancy import community_scope


class CommunityMixin:
    """Mixed into DRF views (APIView, GenericAPIView, ViewSet)."""

    # {DRF action or HTTP method lower-case: policy action}; "*" is the default.
    action_permissions: dict[str, str] = {}

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as stack:
            self._scope_stack = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        self.perform_authentication(request)
        self.community = self._resolve_community(request)
        user_id = request.user.pk if request.user.is_authenticated and not isinstance(request.auth, ApiKey) else None
        self._scope_stack.enter_context(community_scope(self.community.pk))
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        member = None if api_key else member_for_user(community=self.community, user=request.user)
        self.actor = Actor(community=self.community, user_id=user_id, member=member, api_key=api_key)
        super().initial(request, *args, **kwargs)
        self._check_policy(request)

    def _resolve_community(self, request):
        slug = self.kwargs.get("community_slug")
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        if slug:
            community = community_get_by_slug(slug)
            if api_key is not None and api_key.community_id != community.pk:
                raise Http404("No such community.")  # a key never reaches another community, nor learns it exists
            return community
        if api_key is not None:
            return api_key.community
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated("Authenticate with an API key or a session.")
        raise exceptions.NotFound("Name the community: use /api/v1/c/<slug>/… or authenticate with an API key.")

    def policy_action(self) -> str | None:
        action = getattr(self, "action", None) or self.request.method.lower()
        return self.action_permissions.get(action, self.action_permissions.get("*"))

    def _check_policy(self, request) -> None:
        action = self.policy_action()
        if action is None:
            raise exceptions.PermissionDenied("This operation is not available.")
        if can(self.actor, action):
            return
        # Outsiders of a private community learn nothing: 404. Members and keys without the right: 403.
        if not self.community.is_public and not self.actor.is_member and self.actor.api_key is None:
            raise Http404("No such community.")
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        raise exceptions.PermissionDenied(f"Your role or key scopes do not allow '{action}'.")


class CommunityViewSet(CommunityMixin, viewsets.GenericViewSet):
    # Ids in paths are positive integers that fit a bigint: anything else (`null,null`, `false`, `1.5`, a
    # 25-digit number) is a 404 from the router, never a ValueError or an out-of-range error from the database.
    lookup_value_regex = r"[0-9]{1,18}"

    def scoped_queryset(self, community):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no community
            return self.get_serializer_class().Meta.model.objects.none()
        return self.scoped_queryset(self.community)
