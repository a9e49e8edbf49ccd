"""Content-Security-Policy, Permissions-Policy and JSON-only API answers: the browser-side defences of every page."""

import re
from pathlib import Path

import pytest
from django.conf import settings

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_every_page_carries_a_strict_policy(client, world):
    response = client.get("/")
    directives = _directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_api_answers_carry_the_policy_too(client, world):
    response = client.get("/api/v1/community/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response


def test_no_template_carries_inline_script_style_or_handlers():
    """The policy would block them in the browser; this finds them before a user does."""
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
            for match in pattern.finditer(text):
                if 'type="application/json"' in match.group(0):  # json_script data is not executed
                    continue
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:60]}")
    assert offenders == []


@pytest.mark.parametrize("path", ["/c/alpha/", "/c/alpha/d/", "/c/alpha/manage/", "/c/alpha/manage/settings/"])
def test_rendered_pages_have_no_inline_script_or_style(client, world, path):
    client.force_login(world.alice)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    scripts = [tag for tag in INLINE_SCRIPT.findall(body) if 'type="application/json"' not in tag]
    assert scripts == []
    assert not INLINE_STYLE.search(body)


def test_the_api_answers_json_even_to_a_browser(client, world):
    """The browsable API (HTML forms and pages) is for DEBUG only."""
    response = client.get("/api/v1/community/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json") or response.status_code == 406
    assert b"<html" not in response.content


def test_the_docs_page_loads_its_script_from_a_file(client, db):
    page = client.get("/api/docs/")
    body = page.content.decode()
    assert not INLINE_SCRIPT.search(body) and not INLINE_STYLE.search(body)
    script = re.findall(r'<script src="([^"]+)"', body)[-1]
    served = client.get(script.replace("&amp;", "&"))
    assert served.status_code == 200 and b"SwaggerUIBundle" in served.content
