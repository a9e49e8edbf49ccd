"""Markdown to safe HTML: markdown-it-py (tables, auto-links, fenced code with Pygments), then nh3 sanitizing.

nh3 is the last step and the only guarantee: whatever the parser emits, no script, no event handler and no
`javascript:` URL survives it.
"""

import re
from collections.abc import Mapping

import nh3
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9][A-Za-z0-9_.-]{0,79})")
_FORMATTER = HtmlFormatter(nowrap=True)

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "mark",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "td": {"style"},
    "th": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def _highlight(code: str, lang: str, attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang) if lang else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return ""  # markdown-it escapes and wraps it itself
    return f'<pre class="highlight"><code>{highlight(code, lexer, _FORMATTER)}</code></pre>'


_md = MarkdownIt("commonmark", {"linkify": True, "highlight": _highlight}).enable(["table", "strikethrough", "linkify"])


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def mention_names(text: str) -> set[str]:
    return {name.rstrip(".").lower() for name in MENTION_RE.findall(text)}


def render(text: str, mentions: Mapping[str, str] | None = None) -> str:
    """Render member-written markdown; `mentions` maps a lower-cased @name to its profile URL."""
    if mentions:

        def link(match: re.Match) -> str:
            name = match.group(1).rstrip(".")
            url = mentions.get(name.lower())
            tail = match.group(1)[len(name) :]
            return f"[@{name}]({url}){tail}" if url else match.group(0)

        text = MENTION_RE.sub(link, text)
    return sanitize(_md.render(text))
