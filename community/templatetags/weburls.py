"""The one filter user URLs go through in templates: an http(s) address or nothing."""

from django import template

from community.weburls import is_web_url

register = template.Library()


@register.filter
def web_url(value) -> str:
    """Return the value if it is an http(s) URL, else "" (stored rows from before validation included)."""
    return str(value) if value and is_web_url(value) else ""
