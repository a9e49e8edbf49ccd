"""Django's 400/403/404 handlers, answering the JSON error body on API and webhook routes.

Errors raised before a DRF view runs (no route matched, an id that is not an integer, a body over the size
limit) reach these handlers rather than DRF's; integrators must still get `{"error": {...}}`, not a page.
"""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views import defaults

from community.middleware import wants_json


def _json(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        if wants_json(request):
            return _json("too_large", "The body is larger than this endpoint accepts.", 413)
        response = defaults.bad_request(request, exception)
        response.status_code = 413
        return response
    if wants_json(request):
        return _json("invalid", "The request could not be understood.", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if wants_json(request):
        return _json("permission_denied", "You may not do this.", 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if wants_json(request):
        return _json("not_found", "Not found.", 404)
    return defaults.page_not_found(request, exception)
