"""Markdown rendering and nh3 sanitizing: no script, no event handler, no javascript: URL survives."""

from html.parser import HTMLParser

import pytest

from discussions.markdown import mention_names, render


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend((name.lower(), (value or "").strip().lower()) for name, value in attrs)


XSS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<details open ontoggle=alert(1)>",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "```html\n<script>alert(1)</script>\n```",
]


@pytest.mark.parametrize("source", XSS)
def test_dangerous_markup_is_neutralised(source):
    parsed = _Collect()
    parsed.feed(render(source))
    assert not parsed.tags & {"script", "iframe", "svg", "style", "details", "div"}
    assert not [name for name, _ in parsed.attrs if name.startswith("on") or name == "style"]
    assert not [value for name, value in parsed.attrs if name in ("href", "src") and "javascript" in value]


def test_tables_render():
    html = render("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


def test_bare_urls_become_links_with_nofollow():
    html = render("see https://example.com/page")
    assert 'href="https://example.com/page"' in html and 'rel="nofollow noopener ugc"' in html


def test_code_blocks_are_highlighted():
    html = render("```python\ndef f():\n    return 1\n```")
    assert '<pre class="highlight">' in html and '<span class="k">def</span>' in html


def test_mentions_become_profile_links_only_for_known_names():
    html = render("hi @carol and @nobody", {"carol": "/c/a/d/members/3/"})
    assert '<a href="/c/a/d/members/3/" rel="nofollow noopener ugc">@carol</a>' in html
    assert "@nobody" in html and html.count("<a ") == 1


def test_mention_names_ignore_emails():
    assert mention_names("mail bob@example.com or ping @Carol.") == {"carol"}
