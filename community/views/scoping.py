"""The page-side twin of the API's CommunityMixin: resolve, scope, decide, then call the view."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from community.policy import Actor, can
from community.selectors import community_find_by_slug, member_for_user
from community.tenancy import community_scope


def community_page(action: str):
    """Decorate `view(request, community_slug, …)`: sets request.community and request.actor."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, community_slug, *args, **kwargs):
            community = community_find_by_slug(community_slug)
            if community is None:
                # Answer exactly as for a private community one is not in, so that probing slugs cannot tell
                # which private communities exist (it once could: 404 here against a login redirect there).
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                return render(request, "community/private.html", {"slug": community_slug, "pending": False}, status=404)
            user_id = request.user.pk if request.user.is_authenticated else None
            with community_scope(community.pk):
                member = member_for_user(community=community, user=request.user)
                actor = Actor(community=community, user_id=user_id, member=member)
                request.community, request.actor = community, actor
                if not can(actor, action):
                    if not community.is_public and not actor.is_member:
                        if not request.user.is_authenticated:
                            return redirect_to_login(request.get_full_path())
                        # Outsiders of a private community get a 404 that names nothing but what they typed,
                        # with a way to ask to join (or see that their request is pending).
                        context = {"slug": community.slug, "pending": member is not None and member.status == "pending"}
                        return render(request, "community/private.html", context, status=404)
                    if not request.user.is_authenticated:
                        return redirect_to_login(request.get_full_path())
                    return render(request, "community/forbidden.html", {"community": community}, status=403)
                return view(request, community_slug, *args, **kwargs)

        return wrapper

    return decorator
