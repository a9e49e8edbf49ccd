"""User-supplied web addresses: only http(s) URLs are stored, and only those are rendered as links."""

from urllib.parse import urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})


def is_web_url(value: str) -> bool:
    # urlsplit strips leading C0 controls and spaces as browsers do, so " javascript:" is caught too.
    try:
        parts = urlsplit(str(value).strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)
