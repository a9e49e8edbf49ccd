"""Template tags of the forum: the forum block on the community home page."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("discussions/home_forum.html", takes_context=True)
def forum_home(context, limit: int = 20):
    """Latest topics and spaces, with unread counts; runs inside the page's community scope."""
    community, actor = context["community"], context["actor"]
    topics = list(selectors.topic_list(community=community, actor=actor)[:limit])
    spaces = list(selectors.space_list(community=community, actor=actor))
    return {
        "community": community,
        "actor": actor,
        "topics": topics,
        "spaces": spaces,
        "space": None,
        "request": context.get("request"),
    }
