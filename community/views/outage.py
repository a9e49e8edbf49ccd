"""A database or broker outage answers 503 (styled page, or the JSON error body under /api/), not a bare 500."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.views.defaults import server_error

try:  # the broker's client errors; redis and kombu are always installed with Celery, but stay importable without
    from kombu.exceptions import OperationalError as BrokerOperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    BROKER_ERRORS: tuple = (BrokerOperationalError, RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    BROKER_ERRORS = ()

OUTAGE_ERRORS = (OperationalError, InterfaceError, *BROKER_ERRORS)
RETRY_AFTER = "30"

# Self-contained: the base template reads the session and the user, which need the database that is down.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hearth is briefly unavailable</title>
<link rel="stylesheet" href="{stylesheet}"></head>
<body><h1>Hearth is briefly unavailable</h1>
<p>A service behind this site is not answering. Nothing you already posted is lost; please try again in a minute.</p>
</body></html>
"""


def is_outage(error: BaseException | None) -> bool:
    """True when the error, or one it was raised from, is a lost database or broker connection."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _stylesheet() -> str:
    try:
        return static("css/outage.css")
    except ValueError:  # no manifest entry (collectstatic not run): this page must not fail in turn
        return settings.STATIC_URL + "css/outage.css"


def outage_response(request) -> HttpResponse:
    if request.path_info.startswith(("/api/", "/healthz")) or "application/json" in request.headers.get("Accept", ""):
        body = {"error": {"code": "unavailable", "message": "The service is temporarily unavailable.", "fields": {}}}
        response = JsonResponse(body, status=503)
    else:
        # A static file, not inline style (the Content-Security-Policy allows none); static files need no database.
        page = PAGE.replace("{stylesheet}", _stylesheet())
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = RETRY_AFTER
    return response


def handler500(request, *args, **kwargs):
    """Django calls this inside its except block, so sys.exc_info() is the error that reached the top."""
    if is_outage(sys.exc_info()[1]):
        return outage_response(request)
    if request.path_info.startswith("/api/"):
        body = {"error": {"code": "server_error", "message": "Internal server error.", "fields": {}}}
        return JsonResponse(body, status=500)
    return server_error(request, *args, **kwargs)
