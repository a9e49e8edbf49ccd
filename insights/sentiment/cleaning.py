"""Text as the analyser should read it: markdown and HTML stripped, code and other people's quoted words removed.

A reply that quotes an angry message is not angry itself, and a stack trace is not negative: both are cut before
scoring. The cleaning is regex-only (no parser) so a batch of thousands stays cheap.
"""

import html
import re

MAX_CHARS = 5_000  # the opening of a huge body is enough to judge it, and keeps one 200 KB body cheap

_FENCED = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.S | re.M)
_HTML_DROP = re.compile(r"<(pre|code|blockquote|script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.S | re.I)
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li|/h[1-6])\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_QUOTE_LINE = re.compile(r"^[ \t]*>.*$", re.M)
# "On Mon, 7 Dec 2026 at 10:00, Ann <ann@example.org> wrote:" heads an email's quoted part.
_WROTE_LINE = re.compile(r"^[ \t]*On\b[^\n]{0,200}\bwrote:[ \t]*$", re.M)
_INDENTED_CODE = re.compile(r"(?:^(?: {4}|\t)[^\n]*\n?)+", re.M)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_URL = re.compile(r"\bhttps?://\S+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+", re.M)
_LIST_MARK = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M)
# Emphasis markers around words (**bold**, _it_, ~~gone~~), leaving emoticons such as ";-)" or "^_^" alone.
_EMPHASIS = re.compile(r"(\*\*|__|~~|\*|_)(?=\S)(.+?)(?<=\S)\1")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_text(text: str) -> str:
    if not text:
        return ""
    text = text[: MAX_CHARS * 4].replace("\r\n", "\n")
    text = _FENCED.sub(" ", text)
    text = _HTML_DROP.sub(" ", text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub(" ", text)
    text = html.unescape(text)
    text = _WROTE_LINE.sub("", text)
    text = _QUOTE_LINE.sub("", text)
    text = _INDENTED_CODE.sub("", text)
    text = _INLINE_CODE.sub(" ", text)
    text = _IMAGE.sub(" ", text)
    text = _LINK.sub(r"\1", text)
    text = _URL.sub(" ", text)
    text = _HEADING.sub("", text)
    text = _LIST_MARK.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    return text.strip()[:MAX_CHARS]
