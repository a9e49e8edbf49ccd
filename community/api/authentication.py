"""`Authorization: Bearer hth_…` API-key authentication. A key acts for its one community."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from community.selectors import api_key_by_prefix
from community.services.api_keys import api_key_verify, split_key
from community.tenancy import community_scope

LAST_USED_RESOLUTION = timedelta(minutes=1)  # record use at most once a minute: no write per request


class ApiKeyPrincipal:
    """What request.user is for a key: authenticated, but not a person."""

    is_authenticated = True
    is_anonymous = False
    is_staff = False
    is_superuser = False

    def __init__(self, api_key):
        self.api_key = api_key
        self.pk = f"apikey:{api_key.pk}"
        self.id = None
        self.email = ""

    def __str__(self) -> str:
        return f"API key {self.api_key.prefix}"

    def get_username(self) -> str:
        return str(self)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        # The scheme is case-insensitive (RFC 9110 §11.1): "bearer" is as good as "Bearer".
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the key as 'Authorization: Bearer <key>'.")
        raw_key = header[1]
        prefix = split_key(raw_key)
        api_key = api_key_by_prefix(prefix) if prefix else None
        if api_key is None or not api_key_verify(raw_key, api_key):
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if not api_key.is_active:
            raise exceptions.AuthenticationFailed("This API key was revoked.")
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            with community_scope(api_key.community_id):
                type(api_key).objects.filter(pk=api_key.pk).update(last_used_at=now)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes the bearer API key in the OpenAPI schema."""

    target_class = ApiKeyAuthentication
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A community API key: `Authorization: Bearer hth_<prefix>_<secret>`.",
        }
