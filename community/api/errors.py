"""One error body for every 4xx: {"error": {"code", "message", "fields"}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from community.errors import ServiceError

SERVICE_STATUS = {
    "permission_denied": status.HTTP_403_FORBIDDEN,
    "conflict": status.HTTP_409_CONFLICT,
    "not_found": status.HTTP_404_NOT_FOUND,
    "rate_limited": status.HTTP_429_TOO_MANY_REQUESTS,
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state."


def _flatten(detail) -> str:
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    if isinstance(detail, dict):
        return " ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    return str(detail)


def _fields(detail) -> dict:
    if isinstance(detail, dict):
        return {key: [str(v) for v in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    return {}


def error_response(code: str, message: str, http_status: int, fields: dict | None = None, headers=None) -> Response:
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    return Response(body, status=http_status, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return error_response(exc.code, exc.message, SERVICE_STATUS.get(exc.code, 400), fields)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    headers = {name: response[name] for name in ("WWW-Authenticate", "Retry-After") if response.has_header(name)}
    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        message = "Invalid input: " + _flatten(exc.detail) if fields else _flatten(exc.detail)
        return error_response("invalid", message, response.status_code, fields, headers=headers)
    code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    code = code if isinstance(code, str) else "error"
    return error_response(code, _flatten(getattr(exc, "detail", str(exc))), response.status_code, headers=headers)
