"""Baseline twins of the forum pages: one hand-written SQL query each, a minimal template, same server.

Mounted at /bench/ only when HEARTH_BENCH_BASELINE=1 (settings.BENCH_BASELINE), never in production or tests.
Each view enters the same RLS scope as the real page (Postgres checks the same policy) and then runs ONE
query that fetches what the page shows; the ratio page/baseline is what the forum-reads bench reports.
"""

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.template import Context, Engine
from django.urls import path

from community.tenancy import community_scope

_engine = Engine(autoescape=True)
_LIST = _engine.from_string(
    "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><ul>"
    "{% for r in rows %}<li>{% for v in r %}<span>{{ v }}</span> {% endfor %}</li>{% endfor %}</ul>"
)
_TOPIC = _engine.from_string(
    "<!doctype html><title>{{ topic.0 }}</title><h1>{{ topic.0 }}</h1>{{ topic.1|safe }}"
    "{% for r in rows %}<article id='p{{ r.0 }}'><b>{{ r.2 }}</b> {{ r.3 }}{{ r.1|safe }}</article>{% endfor %}"
)

PUBLISHED = "t.status = 'published' AND t.deleted_at IS NULL AND t.merged_into_id IS NULL"
TOPIC_ROW = (
    "SELECT t.id, t.title, t.reply_count, t.last_posted_at, s.name, m.display_name FROM discussions_topic t "
    "JOIN discussions_space s ON s.id = t.space_id LEFT JOIN community_member m ON m.id = t.author_id "
)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _html(template, **context) -> HttpResponse:
    return HttpResponse(template.render(Context(context)))


def home(request, community_id: int):
    with community_scope(community_id):
        rows = _rows(
            f"{TOPIC_ROW} WHERE t.community_id = %s AND {PUBLISHED} ORDER BY t.last_posted_at DESC LIMIT 20",
            [community_id],
        )
    return _html(_LIST, title="home", rows=rows)


def space(request, community_id: int, space_slug: str):
    with community_scope(community_id):
        rows = _rows(
            f"{TOPIC_ROW} WHERE t.community_id = %s AND s.slug = %s AND {PUBLISHED} "
            "ORDER BY t.last_posted_at DESC LIMIT 30",
            [community_id, space_slug],
        )
    return _html(_LIST, title=space_slug, rows=rows)


def topic(request, community_id: int, topic_id: int):
    with community_scope(community_id):
        rows = _rows(
            "SELECT t.title, t.body_html, r.position, r.body_html, m.display_name, r.created_at "
            "FROM discussions_topic t LEFT JOIN LATERAL (SELECT * FROM discussions_reply r "
            "  WHERE r.community_id = t.community_id AND r.topic_id = t.id ORDER BY r.position LIMIT 20) r ON true "
            "LEFT JOIN community_member m ON m.id = r.author_id "
            "WHERE t.community_id = %s AND t.id = %s ORDER BY r.position",
            [community_id, topic_id],
        )
    head = rows[0][:2] if rows else ("", "")
    replies = [(r[2], r[3], r[4], r[5]) for r in rows if r[2] is not None]
    return _html(_TOPIC, topic=head, rows=replies)


def search(request, community_id: int):
    q = request.GET.get("q", "")
    with community_scope(community_id):
        rows = _rows(
            "WITH q AS (SELECT websearch_to_tsquery('english', %s) AS q) "
            "(SELECT t.id, t.title, ts_rank(t.search_vector, q.q) AS rank, ts_headline('english', t.body, q.q) "
            " FROM discussions_topic t, q WHERE t.community_id = %s AND t.search_vector @@ q.q AND "
            + PUBLISHED
            + " ORDER BY rank DESC LIMIT 30) UNION ALL "
            "(SELECT r.topic_id, r.position::text, ts_rank(r.search_vector, q.q) AS rank, "
            " ts_headline('english', r.body, q.q) FROM discussions_reply r, q "
            " WHERE r.community_id = %s AND r.search_vector @@ q.q AND r.deleted_at IS NULL "
            " ORDER BY rank DESC LIMIT 30) ORDER BY rank DESC LIMIT 30",
            [q, community_id, community_id],
        )
    return _html(_LIST, title=q, rows=rows)


def member(request, community_id: int, member_id: int):
    with community_scope(community_id):
        rows = _rows(
            "SELECT m.display_name, x.kind, x.id, x.title, x.created_at FROM community_member m, LATERAL ("
            " (SELECT 'topic' AS kind, t.id, t.title, t.created_at FROM discussions_topic t "
            "  WHERE t.community_id = m.community_id AND t.author_id = m.id AND "
            + PUBLISHED
            + "  ORDER BY t.created_at DESC LIMIT 20) UNION ALL "
            " (SELECT 'reply', r.topic_id, left(r.body, 80), r.created_at FROM discussions_reply r "
            "  WHERE r.community_id = m.community_id AND r.author_id = m.id AND r.deleted_at IS NULL "
            "  ORDER BY r.created_at DESC LIMIT 20)) x WHERE m.community_id = %s AND m.id = %s",
            [community_id, member_id],
        )
    return _html(_LIST, title="member", rows=rows)


def api_topics(request, community_id: int):
    with community_scope(community_id):
        rows = _rows(
            "SELECT t.id, t.title, t.kind, t.tags, t.reply_count, t.created_at, t.last_posted_at, s.id, s.name, "
            "m.id, m.display_name FROM discussions_topic t JOIN discussions_space s ON s.id = t.space_id "
            f"LEFT JOIN community_member m ON m.id = t.author_id WHERE t.community_id = %s AND {PUBLISHED} "
            "ORDER BY t.id DESC LIMIT 51",
            [community_id],
        )
    keys = ("id", "title", "kind", "tags", "reply_count", "created_at", "last_posted_at", "space_id", "space_name",
            "author_id", "author_name")  # fmt: skip
    return JsonResponse({"results": [dict(zip(keys, row, strict=True)) for row in rows]})


urlpatterns = [
    path("c/<int:community_id>/home/", home, name="bench_home"),
    path("c/<int:community_id>/s/<slug:space_slug>/", space, name="bench_space"),
    path("c/<int:community_id>/t/<int:topic_id>/", topic, name="bench_topic"),
    path("c/<int:community_id>/search/", search, name="bench_search"),
    path("c/<int:community_id>/members/<int:member_id>/", member, name="bench_member"),
    path("c/<int:community_id>/api/topics/", api_topics, name="bench_api_topics"),
]
