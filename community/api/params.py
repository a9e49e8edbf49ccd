"""Query parameters the API reads by hand (not through django-filter): an unreadable value is a 400, not ignored."""

from rest_framework.exceptions import ValidationError

from community.selectors.members import parse_moment


def require_moments(params, *names: str) -> None:
    """Every given parameter that is present is a date (YYYY-MM-DD) or an ISO 8601 date-time."""
    bad = {
        name: ["Enter a date (YYYY-MM-DD) or an ISO 8601 date-time."]
        for name in names
        if params.get(name) and parse_moment(params.get(name)) is None
    }
    if bad:
        raise ValidationError(bad)
