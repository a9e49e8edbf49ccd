"""Whole-page cache of a public community's read pages, for anonymous readers only.

Anonymous readers are most of a public forum's traffic (search engines, shared links) and all of them see the
same page, so a page is rendered once per change of the community's content and then served from Redis.

Freshness: each community has a *generation* in the cache, replaced after every write that changes what a
reader sees commits (`public_pages_changed`, called by the services). A cached page carries the generation it
was rendered under and is only served while that is still the community's generation. The generation is read
*before* the page renders, so a page rendered from data older than a write can never be stored under the
generation that write created. The TTL bounds what a write that forgot to call `public_pages_changed` (or a
cache eviction) can leave stale.

Never cached: signed-in users (their pages show their own state), anyone with a session or flash-message
cookie (the page might show messages), private communities, htmx partials, non-GET requests, non-200 answers
and answers that set cookies. Pages served from here hold no CSRF token (base.html emits one only for signed-in
users; anonymous forum pages have no forms).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

HEADER = "X-Hearth-Page-Cache"


def _generation_key(community_id: int) -> str:
    return f"pages:gen:{community_id}"


def _page_key(community_id: int, request) -> str:
    # Scheme and host are part of the page: canonical links are absolute, and custom domains serve the same path.
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"pages:{community_id}:{hashlib.blake2b(where.encode(), digest_size=16).hexdigest()}"


def public_pages_changed(community_id: int) -> None:
    """Forget the community's cached pages once the current transaction commits (now, outside one)."""
    transaction.on_commit(lambda: cache.set(_generation_key(community_id), time.time_ns(), timeout=None))


def _cacheable(request) -> bool:
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET" or request.headers.get("HX-Request"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return request.community.is_public and not request.user.is_authenticated


def anonymous_page_cache(view):
    """Decorate a page view that runs under `community_page` (it needs request.community and request.user)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        generation_key = _generation_key(request.community.pk)
        page_key = _page_key(request.community.pk, request)
        found = cache.get_many([generation_key, page_key])  # one round trip for both
        generation = found.get(generation_key)
        if generation is None:
            # First page since the cache was emptied: start a generation. `add` keeps a concurrent writer's.
            cache.add(generation_key, time.time_ns(), timeout=None)
            generation = cache.get(generation_key)
        stored = found.get(page_key)
        if stored is not None and stored[0] == generation:
            response = HttpResponse(stored[1], content_type=stored[2])
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        # A page that asked for a CSRF token holds one tied to this visitor's cookie: not for anyone else.
        personal = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies
        if response.status_code == 200 and not personal and not response.streaming:
            cache.set(page_key, (generation, response.content, response["Content-Type"]), settings.PAGE_CACHE_SECONDS)
            response[HEADER] = "miss"
        return response

    return wrapper
